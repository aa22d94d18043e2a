using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <param name="PtpTable">The PTP table version the edits were read from (null when none is loaded for the setting).</param>
public sealed record PairResponse(string Code1, string Code2, DateOnly DateOfService, Setting Setting, RuleSource? PtpTable,
    IReadOnlyList<PairEdit> Edits, string Summary, IReadOnlyList<Finding> Findings, IReadOnlyList<RuleSource> TablesUsed)
{
    public static PairResponse From(PairReport report) => new(report.Code1.ToString(), report.Code2.ToString(), report.DateOfService,
        report.Setting, report.PtpTable, report.Edits, report.Summary, report.Result.Findings, report.Result.TablesUsed);
}
