namespace CodePairs.Rules;

/// <summary>Everything the table versions in force on one date say about one code, in one setting (what <c>rules code</c>
/// prints and the HTTP API serves as JSON).</summary>
/// <param name="Known">False when no table of the rule set names the code.</param>
/// <param name="Tables">The table versions in force on the date that the profile was read from.</param>
/// <param name="NotInForce">The setting's tables with no version in force on the date (their part of the profile is unknown, not empty).</param>
/// <param name="Column2Partners">PTP rows where this code is column 1: billed together, the partner is denied.</param>
/// <param name="Column1Partners">PTP rows where this code is column 2: billed with these partners, this code is denied.</param>
/// <param name="PrimaryFor">Add-on codes that list this code as an eligible primary, as ranges.</param>
public sealed record CodeProfile(
    string Code,
    bool Known,
    IReadOnlyList<RuleSource> Tables,
    IReadOnlyList<string> NotInForce,
    DateOnly Date,
    string Setting,
    AddOnProfile? AddOn,
    IReadOnlyList<string> PrimaryFor,
    IReadOnlyList<PtpPartner> Column2Partners,
    IReadOnlyList<PtpPartner> Column1Partners,
    MueProfile? Mue,
    string MueTable);

/// <summary>The code as an add-on on the date: its type and its listed primaries compressed into ranges.</summary>
public sealed record AddOnProfile(int Type, IReadOnlyList<string> EligiblePrimaries, DateOnly EditEffective, DateOnly? EditDeletion,
    DateOnly? AddOnDeletion, string? Notes);

/// <summary>One PTP row naming the profiled code. <see cref="InForce"/> is false only in a history listing.</summary>
public sealed record PtpPartner(string Code, int ModifierIndicator, DateOnly Effective, DateOnly? Deletion, string Rationale, bool PriorTo1996, bool InForce);

/// <summary>The code's published MUE in the setting's table (null in <see cref="CodeProfile.Mue"/>: no published MUE).</summary>
public sealed record MueProfile(int Value, int AdjudicationIndicator, string Adjudication, string Rationale);

public static class CodeProfiles
{
    /// <summary>The profile of <paramref name="code"/> from the table versions in force on <paramref name="date"/>
    /// (default: the latest version's first day). With <paramref name="history"/>, PTP rows out of force on the date
    /// (deleted, not yet effective, indicator 9) are listed too, marked <see cref="PtpPartner.InForce"/> = false.</summary>
    public static CodeProfile Profile(this RuleSet rules, HcpcsCode code, DateOnly? date = null, Setting setting = Setting.Practitioner, bool history = false)
    {
        var day = date ?? rules.LatestStart;
        var era = rules.EraFor(NcciDate.ToDay(day));
        var mueTable = Tables.Mue(setting);
        var sources = era.Sources(setting);
        var notInForce = Tables.For(setting).Where(t => era.Version(t) is null).Select(t => t.Name()).ToArray();
        var id = rules.Codes.Find(code);
        if (id < 0)
            return new CodeProfile(code.ToString(), false, sources, notInForce, day, setting.ToName(), null, [], [], [], null, mueTable.Name());
        var d = NcciDate.ToDay(day);
        var codes = rules.Codes;

        var column2 = new List<PtpPartner>();
        var column1 = new List<PtpPartner>();
        if (era.Version(Tables.Ptp(setting))?.Index is PtpIndex ptp)
        {
            for (var r = ptp.Offsets[id]; r < ptp.Offsets[id + 1]; r++) Partner(ptp, r, ptp.Column2[r], column2);
            for (var c1 = 0; c1 < codes.Count; c1++)
            {
                var (start, end) = ptp.Find(c1, id);
                for (var r = start; r < end; r++) Partner(ptp, r, c1, column1);
            }
        }

        AddOnProfile? addOn = null;
        var primaryFor = new List<HcpcsCode>();
        if (era.Version(TableId.AddOn)?.Index is AddOnIndex aoc)
        {
            var (start, end) = aoc.Rows(id);
            var listed = new List<HcpcsCode>();
            var first = -1;
            for (var r = start; r < end; r++)
            {
                if (!aoc.EditInForce(r, d)) continue;
                if (first < 0) first = r;
                if (aoc.PrimaryInForce(r, d)) listed.Add(codes.CodeOf(aoc.Primary[r]));
            }
            if (first >= 0)
            {
                var row = aoc.Row(first, codes, id);
                addOn = new AddOnProfile((int)row.Type, Ranges(listed), row.EditEffective, row.EditDeletion, row.AddOnDeletion, row.Notes);
            }
            for (var a = 0; a < codes.Count; a++)
            {
                var (s, e) = aoc.Rows(a);
                for (var r = s; r < e; r++)
                    if (aoc.Primary[r] == id && aoc.EditInForce(r, d) && aoc.PrimaryInForce(r, d)) { primaryFor.Add(codes.CodeOf(a)); break; }
            }
        }

        MueProfile? mue = null;
        if ((era.Version(mueTable)?.Index as MueIndex)?.Find(id, codes) is { } limit)
            mue = new MueProfile(limit.Value, (int)limit.Adjudication, limit.Adjudication.Name(), limit.Rationale);

        return new CodeProfile(code.ToString(), true, sources, notInForce, day, setting.ToName(), addOn, Ranges(primaryFor), column2, column1, mue, mueTable.Name());

        void Partner(PtpIndex ptp, int row, int partner, List<PtpPartner> into)
        {
            var meta = ptp.MetaOf(row);
            var inForce = !meta.IsNoEdit && NcciDate.InForce(ptp.Effective[row], ptp.Deletion[row], d);
            if (!inForce && !history) return;
            into.Add(new PtpPartner(codes.CodeOf(partner).ToString(), (int)meta.Indicator, NcciDate.FromDay(ptp.Effective[row]),
                NcciDate.FromDayOrOpen(ptp.Deletion[row]), ptp.Rationales[meta.Rationale], meta.PriorTo1996, inForce));
        }
    }

    private static IReadOnlyList<string> Ranges(IEnumerable<HcpcsCode> codes) => CodeRange.Compress(codes).Select(r => r.ToString()).ToArray();
}
