using System.Text.Json;

namespace CodePairs.Rules.Tests;

public class SettingNamesTests
{
    [Theory]
    [InlineData("practitioner", Setting.Practitioner)]
    [InlineData(" Hospital ", Setting.Hospital)]
    public void ReadsTheTwoNamesInAnyCase(string text, Setting expected)
    {
        Assert.True(SettingNames.TryParse(text, out var setting));
        Assert.Equal(expected, setting);
    }

    [Theory]
    [InlineData("asc", Setting.Practitioner)]
    [InlineData("outpatient", Setting.Hospital)]
    public void TakesTheConfigurationAliasesOnlyWhenAsked(string text, Setting expected)
    {
        Assert.False(SettingNames.TryParse(text, out _));
        Assert.True(SettingNames.TryParse(text, out var setting, aliases: true));
        Assert.Equal(expected, setting);
    }

    [Fact]
    public void RefusesAnythingElseInTheSameWordsEverywhere()
    {
        Assert.False(SettingNames.TryParse("clinic", out _, aliases: true));
        Assert.False(SettingNames.TryParse(null, out _));
        Assert.Equal("'clinic' is not a setting: use 'practitioner' or 'hospital'", SettingNames.NotASetting("clinic"));
        var (_, errors) = ClaimParser.Parse(new ClaimInput { Setting = "clinic", DateOfService = "2026-08-03", Lines = [new ClaimLineInput { Code = "11042" }] });
        Assert.Equal(SettingNames.NotASetting("clinic"), Assert.Single(errors).Reason);
    }

    [Fact]
    public void IsWrittenAndReadInJsonByItsName()
    {
        Assert.Equal("\"hospital\"", JsonSerializer.Serialize(Setting.Hospital));
        Assert.Equal(Setting.Practitioner, JsonSerializer.Deserialize<Setting>("\"practitioner\""));
    }
}
