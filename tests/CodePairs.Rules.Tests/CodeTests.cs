namespace CodePairs.Rules.Tests;

public class CodeTests
{
    [Theory]
    [InlineData("77003", CodeKind.CptCategoryI)]
    [InlineData("01922", CodeKind.CptCategoryI)]
    [InlineData("0001A", CodeKind.CptCategoryI)]
    [InlineData("0001M", CodeKind.CptCategoryI)]
    [InlineData("0001F", CodeKind.CptCategoryII)]
    [InlineData("0627T", CodeKind.CptCategoryIII)]
    [InlineData("0001U", CodeKind.CptPla)]
    [InlineData("J1040", CodeKind.HcpcsLevelII)]
    [InlineData("G0659", CodeKind.HcpcsLevelII)]
    public void ParsesEveryCodeFamilyAndKeepsLeadingZeros(string text, CodeKind kind)
    {
        var code = HcpcsCode.Parse(text);
        Assert.Equal(text, code.ToString());
        Assert.Equal(kind, code.Kind);
    }

    [Fact]
    public void UpperCasesLetters() => Assert.Equal("J1040", HcpcsCode.Parse("j1040").ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("7700", "4 characters")]
    [InlineData("770031", "6 characters")]
    [InlineData(" 7700", "is not a CPT/HCPCS code")]
    [InlineData("J10X0", "is not a CPT/HCPCS code")]
    [InlineData("0627X", "is not a CPT/HCPCS code")]
    [InlineData("JJ040", "is not a CPT/HCPCS code")]
    [InlineData("00000", "is not a CPT/HCPCS code")]
    [InlineData("CCCCC", "is not a CPT/HCPCS code")]
    public void RejectsMalformedCodesWithAReason(string text, string reason)
    {
        Assert.False(HcpcsCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void PackedOrderFollowsTextOrder()
    {
        var texts = new[] { "J1040", "0001A", "77003", "01922", "0627T", "A0021", "99999", "0001U" };
        var byPacked = texts.Select(HcpcsCode.Parse).Order().Select(c => c.ToString());
        Assert.Equal(texts.Order(StringComparer.Ordinal), byPacked);
    }

    [Fact]
    public void ExpandsRangesAsPeopleWriteThem()
    {
        Assert.Equal(["62320", "62321", "62322", "62323", "62324", "62325", "62326", "62327", "62328", "62329"],
            CodeRange.Parse("62320-62329").Expand().Select(c => c.ToString()));
        Assert.Equal(["0627T", "0628T"], CodeRange.Parse("0627T-0628T").Expand().Select(c => c.ToString()));
        Assert.Equal(["J1040", "J1041", "J1042"], CodeRange.Parse("J1040-J1042").Expand().Select(c => c.ToString()));
        Assert.Equal(["64449"], CodeRange.Parse("64449").Expand().Select(c => c.ToString()));
    }

    [Theory]
    [InlineData("62329-62320", "ends before it starts")]
    [InlineData("0627T-06280", "same shape")]
    [InlineData("J1040-K1050", "same shape")]
    [InlineData("62320-6232", "range end")]
    [InlineData("00100-99999", "at most")]
    public void RejectsBadRanges(string text, string reason)
    {
        Assert.False(CodeRange.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void CompressesCodesBackIntoRanges()
    {
        var codes = "62282 61050 62280 62281 64449 0627T 0628T 61055".Split(' ').Select(HcpcsCode.Parse);
        Assert.Equal(["0627T-0628T", "61050", "61055", "62280-62282", "64449"], CodeRange.Compress(codes).Select(r => r.ToString()));
    }

    [Fact]
    public void RangeContainsOnlyCodesOfItsShape()
    {
        var range = CodeRange.Parse("0627T-0629T");
        Assert.True(range.Contains(HcpcsCode.Parse("0628T")));
        Assert.False(range.Contains(HcpcsCode.Parse("0628U")));
    }

    [Theory]
    [InlineData("59")]
    [InlineData("XU")]
    [InlineData("LT")]
    [InlineData("E4")]
    [InlineData("F9")]
    [InlineData("T9")]
    [InlineData("25")]
    [InlineData("91")]
    public void NcciAssociatedModifiersBypass(string m) => Assert.True(Modifier.Parse(m).IsNcciBypass);

    [Theory]
    [InlineData("22")]
    [InlineData("76")]
    [InlineData("77")]
    [InlineData("GG")]
    [InlineData("26")]
    [InlineData("TC")]
    public void OtherModifiersDoNotBypass(string m) => Assert.False(Modifier.Parse(m).IsNcciBypass);

    [Theory]
    [InlineData("5")]
    [InlineData("591")]
    [InlineData("5-")]
    public void RejectsMalformedModifiers(string m) => Assert.False(Modifier.TryParse(m, out _, out _));

    [Fact]
    public void DeletionDateIsTheLastDayInForce()
    {
        var eff = new DateOnly(2020, 1, 1);
        var del = new DateOnly(2023, 12, 31);
        Assert.False(NcciDate.InForce(eff, del, eff.AddDays(-1)));
        Assert.True(NcciDate.InForce(eff, del, eff));
        Assert.True(NcciDate.InForce(eff, del, del));
        Assert.False(NcciDate.InForce(eff, del, del.AddDays(1)));
        Assert.True(NcciDate.InForce(eff, null, new DateOnly(2100, 1, 1)));
        // The packed form agrees with the DateOnly form.
        Assert.True(NcciDate.InForce(NcciDate.ToDay(eff), NcciDate.ToDay(del), NcciDate.ToDay(del)));
        Assert.False(NcciDate.InForce(NcciDate.ToDay(eff), NcciDate.ToDay(del), NcciDate.ToDay(del.AddDays(1))));
    }
}
