using CodePairs.Functions.Batches;
using CodePairs.Rules;

namespace CodePairs.Functions.Tests.Batches;

public class BatchOptionsTests
{
    [Theory]
    [InlineData("practitioner", Setting.Practitioner)]
    [InlineData("Hospital", Setting.Hospital)]
    [InlineData("asc", Setting.Practitioner)]
    [InlineData(" outpatient ", Setting.Hospital)]
    public void TheDefaultSettingIsReadByTheOneSettingParserWithItsConfigurationAliases(string text, Setting expected)
        => Assert.Equal(expected, new BatchOptions { DefaultSetting = text }.ParsedDefaultSetting());

    [Fact]
    public void AnotherDefaultSettingIsRefusedNamingTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new BatchOptions { DefaultSetting = "clinic" }.ParsedDefaultSetting());
        Assert.Equal("CodePairs:Batches:DefaultSetting must be 'practitioner' or 'hospital', not 'clinic'", e.Message);
    }
}
