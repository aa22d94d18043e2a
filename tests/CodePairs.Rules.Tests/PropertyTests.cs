using CsCheck;
using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

/// <summary>Properties over random claims built from the fixture's codes (so edits actually fire).</summary>
public class PropertyTests
{
    private static readonly string[] Codes =
        ["13121", "13120", "17000", "17281", "62323", "77003", "64493", "36000", "36410", "11042", "97597", "11045",
         "99291", "99292", "0592T", "22552", "22551", "0001A", "0591T", "64449", "62270", "99499"];
    private static readonly string[] Modifiers = ["59", "XS", "XU", "LT", "RT", "25", "22", "76", "77", "GG", "26", "TC"];

    private static readonly Gen<ClaimLine> GenLine =
        Gen.Select(Gen.OneOf(Codes), Gen.OneOf(Modifiers).Array[0, 4], Gen.Int[1, 4], Gen.Int[0, 2],
            (code, mods, units, dayOffset) => new ClaimLine(HcpcsCode.Parse(code), mods.Distinct().Select(Modifier.Parse).ToArray(), units,
                dayOffset == 0 ? null : Dos.AddDays(dayOffset)));

    private static readonly Gen<Claim> GenClaim =
        Gen.Select(GenLine.Array[1, 8], Gen.Bool, (lines, hospital) => new Claim(hospital ? Setting.Hospital : Setting.Practitioner, Dos, lines));

    /// <summary>A finding with its line numbers mapped back to the lines' original positions (messages aside).</summary>
    private static string Key(Finding f, int[] originalOf) => string.Join('|',
        f.Kind, f.Severity, f.Rule, string.Join(',', f.Codes),
        string.Join(',', f.Lines.Select(l => originalOf[l - 1]).Order()),
        string.Join(',', f.DeniedLines.Select(l => originalOf[l - 1]).Order()),
        f.Source, f.DateOfService);

    [Fact]
    public void LineOrderNeverChangesTheFindings()
    {
        var validator = Validator(withPack: true);
        Gen.Select(GenClaim, Gen.Int).Sample((claim, seed) =>
        {
            var n = claim.Lines.Count;
            var order = Enumerable.Range(0, n).OrderBy(i => HashCode.Combine(seed, i)).ToArray();
            var shuffled = claim with { Lines = order.Select(i => claim.Lines[i]).ToArray() };
            var identity = Enumerable.Range(0, n).ToArray();
            var a = validator.Validate(claim).Findings.Select(f => Key(f, identity)).Order();
            var b = validator.Validate(shuffled).Findings.Select(f => Key(f, order)).Order();
            return a.SequenceEqual(b);
        }, iter: 2000);
    }

    [Fact]
    public void AddingAnAllowedBypassModifierNeverAddsADenial()
    {
        var validator = Validator(withPack: true);
        var identity = Enumerable.Range(0, 64).ToArray();
        Gen.Select(GenClaim, Gen.Int[0, 7], Gen.OneOf(NcciModifiers.Bypass.ToArray())).Sample((claim, pick, bypass) =>
        {
            var i = pick % claim.Lines.Count;
            var line = claim.Lines[i];
            if (line.Modifiers.Count >= Modifier.MaxPerLine || line.Modifiers.Contains(bypass)) return true;
            var lines = claim.Lines.ToArray();
            lines[i] = line with { Modifiers = [.. line.Modifiers, bypass] };
            var before = Denials(validator.Validate(claim));
            var after = Denials(validator.Validate(claim with { Lines = lines }));
            return after.IsSubsetOf(before);

            HashSet<string> Denials(ValidationResult r) =>
                [.. r.Findings.Where(f => f.Severity >= Severity.Bypassable).Select(f => Key(f, identity))];
        }, iter: 2000);
    }
}
