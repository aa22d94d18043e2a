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
        Assert.Contains("release v322r0, effective 2026-07-01", text);
        Assert.Matches(@"ptp-practitioner\s+[56],\d{3} rows  4 file\(s\)", text);
        Assert.Matches(@"mue-dme\s+90 rows", text);
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Inspect(snap));
        Assert.Contains("release v322r0, effective from 2026-07-01", _out.ToString());
        Assert.Matches(@"aoc\s+120 rows  version AOC_V2026Q3_01  effective 2026-07-01", _out.ToString());
    }

    [Fact]
    public void CodePrintsTheProfileAndJson()
    {
        var snap = Snapshot();
        var line = File.ReadLines(Path.Combine(_folder, "cms", "claims.csv")).Skip(1).First();
        var code = line.Split(',')[2];
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Commands.Code(snap, code, "2026-08-01", "practitioner", history: false, json: false));
        Assert.StartsWith($"{code} in release v322r0 (practitioner, date 2026-08-01)", _out.ToString());
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
        Assert.Equal("claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,release,message", rows[0]);
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
        Assert.Contains("error: ccipra-v322r0-f1.TXT, line 2: the file ends after 1 lines; a PTP .TXT starts with a 6-line preamble", _err.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "x.snap")));
    }
}
