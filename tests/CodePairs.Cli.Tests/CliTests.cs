using CodePairs.Cli;

namespace CodePairs.Cli.Tests;

/// <summary>Runs the command handlers in-process, as a new user would run them from the README: generate small,
/// import, inspect, code, check.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "codepairs-cli-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private Commands Commands => new(_out, _err);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private string Snapshot()
    {
        Assert.Equal(ExitCodes.Ok, Commands.Generate(Path.Combine(_folder, "cms"), "small", 7, 500));
        var snap = Path.Combine(_folder, "rules.snap");
        Assert.Equal(ExitCodes.Ok, Commands.Import([Path.Combine(_folder, "cms")], snap));
        return snap;
    }

    [Fact]
    public void GenerateImportAndInspectReportCountsPerTable()
    {
        var snap = Snapshot();
        var text = _out.ToString();
        Assert.Contains("loaded 6 table version(s):", text);
        Assert.Matches(@"ptp-practitioner\s+v322r0\s+from 2026-07-01\s+[56],\d{3} rows  4 file\(s\)", text);
        Assert.Matches(@"mue-dme\s+2026-07-01\s+from 2026-07-01\s+90 rows", text);
        Assert.Contains("ccipra-v322r0-f1.xlsx: not loaded: a copy of the ptp-practitioner part f1 beside its .TXT", text);
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Inspect(snap, "2026-08-03"));
        Assert.Contains("aoc: 1 version(s); in force on 2026-08-03: AOC_V2026Q3", _out.ToString());
        Assert.Matches(@"\* AOC_V2026Q3\s+from 2026-07-01\s+120 rows  key aoc-v2026q3-[0-9a-f]{8}", _out.ToString());
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Inspect(snap, "2026-06-30"));
        Assert.Contains("mue-practitioner: 1 version(s); in force on 2026-06-30: none (before its first version)", _out.ToString());
    }

    [Fact]
    public void CodePrintsTheProfileAndJson()
    {
        var snap = Snapshot();
        var line = File.ReadLines(Path.Combine(_folder, "cms", "claims.csv")).Skip(1).First();
        var code = line.Split(',')[2];
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Code(snap, code, "2026-08-01", "practitioner", history: false, json: false));
        Assert.StartsWith($"{code} on 2026-08-01 (practitioner), from ptp-practitioner v322r0, aoc AOC_V2026Q3, mue-practitioner 2026-07-01", _out.ToString());
        Assert.Contains("PTP as column 1", _out.ToString());
        Assert.Contains("MUE (mue-practitioner)", _out.ToString());
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Code(snap, code, null, "hospital", history: true, json: true));
        Assert.Contains("\"mueTable\": \"mue-hospital\"", _out.ToString());
        Assert.Equal(ExitCodes.Usage, Commands.Code(snap, "1234", null, null, false, false));
        Assert.Contains("error: code: '1234' is 4 characters", _err.ToString());
    }

    [Fact]
    public void CheckWritesResultsAndASummaryAndExitsWithACodeScriptsCanUse()
    {
        var snap = Snapshot();
        var claims = Path.Combine(_folder, "claims.csv");
        File.WriteAllText(claims, "\uFEFFclaim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\r\nA1,2026-08-03,99999,,,,,1\r\nB2,2026-08-03,1234,,,,,1\r\n");
        var results = Path.Combine(_folder, "results.csv");
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Rejected, Commands.Check(snap, claims, results, null, includeInfo: false));
        var rows = File.ReadAllLines(results);
        Assert.Equal("claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message", rows[0]);
        Assert.StartsWith("B2,3,rejected,", rows[^1]);
        Assert.Contains("lines: 2 in = 1 validated + 1 rejected", _out.ToString());

        File.WriteAllText(claims, "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\n");
        Assert.Equal(ExitCodes.Ok, Commands.Check(snap, claims, results, null, false));

        var generated = Path.Combine(_folder, "cms", "claims.csv");
        Assert.Contains(Commands.Check(snap, generated, results, null, false), new[] { ExitCodes.Findings, ExitCodes.Rejected });
    }

    [Fact]
    public void BadInputsFailWithExitCode3AndAClearMessage()
    {
        var snap = Snapshot();
        var corrupt = Path.Combine(_folder, "corrupt.snap");
        var bytes = File.ReadAllBytes(snap);
        bytes[^5] ^= 1;
        File.WriteAllBytes(corrupt, bytes);
        Assert.Equal(ExitCodes.Failed, Commands.Inspect(corrupt));
        Assert.Contains("error: corrupt.snap: checksum mismatch: the snapshot is corrupt", _err.ToString());

        var noHeader = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(noHeader, "A1,2026-08-03,99213,,,,,1\n");
        Assert.Equal(ExitCodes.Failed, Commands.Check(snap, noHeader, null, null, false));
        Assert.Contains("error: line 1: expected the header", _err.ToString());

        var badFolder = Path.Combine(_folder, "bad-cms");
        Directory.CreateDirectory(badFolder);
        File.WriteAllText(Path.Combine(badFolder, "ccipra-v322r0-f1.TXT"), "not a PTP file\r\n");
        Assert.Equal(ExitCodes.Failed, Commands.Import([badFolder], Path.Combine(_folder, "x.snap")));
        Assert.Contains("error: ccipra-v322r0-f1.TXT, line 1: expected the AMA copyright line", _err.ToString());
        Assert.Contains("ccipra-v322r0-f1.TXT: FAILED: line 1: expected the AMA copyright line", _out.ToString()); // the report of every file comes first
        Assert.False(File.Exists(Path.Combine(_folder, "x.snap")));
    }

    [Fact]
    public void AFolderInsideAFolderNamedIsReportedAndFailsTheImportWhenItHoldsFiles()
    {
        var cms = Path.Combine(_folder, "cms");
        Assert.Equal(ExitCodes.Ok, Commands.Generate(cms, "small", 7, 0));
        File.Delete(Path.Combine(cms, "release.json")); // CMS's own downloads come with no manifest to catch the move
        var mue = Directory.GetFiles(cms, "*dme*mue*").Single();
        Directory.CreateDirectory(Path.Combine(cms, "extracted", "deeper"));
        File.Move(mue, Path.Combine(cms, "extracted", "deeper", Path.GetFileName(mue)));
        Directory.CreateDirectory(Path.Combine(cms, "empty"));
        _out.GetStringBuilder().Clear();

        // The DME MUE table now sits in a subfolder, which is not read: an import that went on would be exit 0 with a table missing.
        var snap = Path.Combine(_folder, "rules.snap");
        Assert.Equal(ExitCodes.Failed, Commands.Import([cms], snap));
        Assert.Contains("extracted/: FAILED: a folder holding 1 file(s) (deeper/" + Path.GetFileName(mue) + "): files in subfolders are not read", _out.ToString());
        Assert.Contains("empty/: ignored: an empty folder", _out.ToString());
        Assert.Contains("loaded 5 table version(s):", _out.ToString()); // every other file is still reported
        Assert.Contains("error: extracted/: a folder holding 1 file(s)", _err.ToString());
        Assert.False(File.Exists(snap));

        // Named by itself, the subfolder's files are read.
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Import([cms, Path.Combine(cms, "extracted", "deeper")], snap));
        Assert.Contains("loaded 6 table version(s):", _out.ToString());
        Assert.Contains("empty/: ignored: an empty folder", _out.ToString());
    }

    [Fact]
    public void ALinkInsideASubfolderIsListedNotFollowed()
    {
        var cms = Path.Combine(_folder, "cms");
        Assert.Equal(ExitCodes.Ok, Commands.Generate(cms, "small", 7, 0));
        Directory.CreateDirectory(Path.Combine(cms, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(cms, "sub", "back"), cms); // a loop, were it followed
        _out.GetStringBuilder().Clear();

        Assert.Equal(ExitCodes.Failed, Commands.Import([cms], Path.Combine(_folder, "rules.snap")));
        Assert.Contains("sub/: FAILED: a folder holding 1 file(s) (back/): files in subfolders are not read", _out.ToString());
    }

    [Fact]
    public void CheckAppliesTheSamePacksAsTheService()
    {
        var snap = Snapshot();
        var claims = Path.Combine(_folder, "77003.csv");
        File.WriteAllText(claims, "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\nA1,2026-08-03,77003,,,,,1\n");
        var results = Path.Combine(_folder, "results.csv");
        Commands.Check(snap, claims, results, null, includeInfo: false);
        Assert.Contains(File.ReadAllLines(results), r => r.Contains(",pack.add-on-no-primary,", StringComparison.Ordinal));
        Commands.Check(snap, claims, results, null, includeInfo: false, packs: "none");
        Assert.DoesNotContain(File.ReadAllLines(results), r => r.Contains("pack.", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Usage, Commands.Check(snap, claims, results, null, false, packs: "nope"));
    }

    [Fact]
    public void GenerateWritesASubsetOfTablesForAnotherQuarter()
    {
        var folder = Path.Combine(_folder, "mue-q4");
        Assert.Equal(ExitCodes.Ok, Commands.Generate(folder, "small", 3, 0, "v323r0", "mue"));
        Assert.Equal(["medicare-ncci-2026-q4-dme-supplier-services-mue-table.zip", "medicare-ncci-2026-q4-facility-outpatient-hospital-services-mue-table.zip",
            "medicare-ncci-2026-q4-practitioner-services-mue-table.zip", "release.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var snap = Path.Combine(_folder, "mue.snap");
        Assert.Equal(ExitCodes.Ok, Commands.Import([folder], snap));
        Assert.Contains("loaded 3 table version(s):", _out.ToString());
    }
}

public sealed class ChangesCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "codepairs-changes-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void ListsTheChangesBetweenTwoQuartersReadablyAndAsJson()
    {
        var commands = new Commands(_out, _err);
        Directory.CreateDirectory(_folder);
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "q3"), "small", 4, 0, "v322r0", "mue-practitioner"));
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "q4"), "small", 5, 0, "v323r0", "mue-practitioner"));
        foreach (var q in new[] { "q3", "q4" }) File.Delete(Path.Combine(_folder, q, "release.json")); // one drop of two quarters: no manifest
        var snap = Path.Combine(_folder, "two.snap");
        Assert.Equal(ExitCodes.Ok, commands.Import([Path.Combine(_folder, "q3"), Path.Combine(_folder, "q4")], snap));
        _out.GetStringBuilder().Clear();

        Assert.Equal(ExitCodes.Ok, commands.Changes(snap, "mue-practitioner", "2026-07-01", "2026-10-01", null, json: false));
        var text = _out.ToString();
        Assert.Matches(@"^mue-practitioner: 2026-07-01 → 2026-10-01: [\d,]+ change\(s\) \(", text);
        Assert.Matches(@"\n  (added|removed|raised|lowered|revised)\s+\w{5}", text);

        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, commands.Changes(snap, "mue-practitioner", "2026-09-30", "2026-10-01", null, json: true));
        using var doc = System.Text.Json.JsonDocument.Parse(_out.ToString());
        Assert.Equal("mue-practitioner", doc.RootElement.GetProperty("table").GetString());
        Assert.True(doc.RootElement.GetProperty("total").GetInt32() > 0);

        Assert.Equal(ExitCodes.Usage, commands.Changes(snap, "mue", "2026-07-01", "2026-10-01", null, false));
        Assert.Equal(ExitCodes.Usage, commands.Changes(snap, "mue-practitioner", "v999r0", "2026-10-01", null, false));
        Assert.Contains("--from: 'v999r0' is neither a date YYYY-MM-DD nor a mue-practitioner version held (2026-07-01, 2026-10-01)", _err.ToString());
    }
}
