using CodePairs.Cli;
using CodePairs.Rules.Tests.X12;

namespace CodePairs.Cli.Tests;

/// <summary><c>check</c> on 837 files, as a biller would run it on a practice-management export.</summary>
public sealed class CliX12Tests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "codepairs-cli-x12-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private Commands Commands => new(_out, _err);

    public CliX12Tests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "X12", "Samples", name);

    private string Snapshot()
    {
        Assert.Equal(ExitCodes.Ok, Commands.Generate(Path.Combine(_folder, "cms"), "small", 7, 0));
        var snap = Path.Combine(_folder, "rules.snap");
        Assert.Equal(ExitCodes.Ok, Commands.Import([Path.Combine(_folder, "cms")], snap));
        _out.GetStringBuilder().Clear();
        return snap;
    }

    [Fact]
    public void CheckReadsAn837AndReportsClaimsServiceLinesAndSegments()
    {
        var snap = Snapshot();
        var results = Path.Combine(_folder, "results.csv");
        // A rejected claim (the broken SV1) makes the exit code 2, as a rejected CSV line does.
        Assert.Equal(ExitCodes.Rejected, Commands.Check(snap, Sample("professional.837"), results, null, includeInfo: false));
        var rows = File.ReadAllLines(results);
        Assert.Equal("claim_id,claim_segment,line_segments,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message", rows[0]);
        Assert.Contains(rows, r => r.StartsWith("PCN-P-0004,80,83,rejected,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("PCN-P-0003,56,59,not-checked,", StringComparison.Ordinal));
        var text = _out.ToString();
        Assert.Contains("claims: 6 in = 5 validated + 1 rejected", text);
        Assert.Contains("service lines: 11 read; 1 of validated claims not checked (no HC code)", text);
        Assert.Matches(@"checked in [\d.]+ s \([\d,]+ service lines/s\)", text);
    }

    [Fact]
    public void ATxtExportStartingWithIsaIsAn837AndNothingButClaimIdsAndCodesReachesTheOutput()
    {
        var snap = Snapshot();
        var export = Path.Combine(_folder, "export.txt");
        File.Copy(Sample("institutional.837"), export);
        var exit = Commands.Check(snap, export, null, null, includeInfo: true); // results on stdout, summary on stderr
        Assert.Equal(ExitCodes.Rejected, exit); // the inpatient claim is not checked
        Assert.Contains("PCN-I-0001,20,", _out.ToString());
        Assert.Contains("claims: 3 in = 2 validated + 1 rejected", _err.ToString());
        X12Privacy.AssertNoneIn(File.ReadAllText(export), [("stdout", _out.ToString()), ("stderr", _err.ToString())]);
    }

    [Fact]
    public void AGenerated837ChecksAndAnEdiFileThatIsNotX12FailsWithExitCode3()
    {
        Assert.Equal(ExitCodes.Ok, Commands.Generate(Path.Combine(_folder, "cms"), "small", 7, 3_000, claimsFormat: "837p"));
        Assert.Contains("claims-837p.837 (3,000 service lines)", _out.ToString());
        var snap = Path.Combine(_folder, "rules.snap");
        Assert.Equal(ExitCodes.Ok, Commands.Import([Path.Combine(_folder, "cms")], snap));
        _out.GetStringBuilder().Clear();
        Assert.Contains(Commands.Check(snap, Path.Combine(_folder, "cms", "claims-837p.837"), Path.Combine(_folder, "r.csv"), null, false),
            new[] { ExitCodes.Findings, ExitCodes.Rejected });
        Assert.Contains("service lines: 3,000 read", _out.ToString());
        Assert.Contains("envelope problems: 0", _out.ToString());

        var notX12 = Path.Combine(_folder, "claims.edi");
        File.WriteAllText(notX12, "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\n");
        Assert.Equal(ExitCodes.Failed, Commands.Check(snap, notX12, null, null, false));
        Assert.Contains("error: segment 1: the file does not start with an ISA segment: it is not an X12 file", _err.ToString());
        Assert.Equal(ExitCodes.Usage, Commands.Generate(_folder, "small", 7, 10, claimsFormat: "837d"));
    }
}
