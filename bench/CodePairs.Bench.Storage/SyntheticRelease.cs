using CodePairs.Rules;

/// <summary>A seeded synthetic release in real row shapes (PTP, AOC, MUE) of realistic size and skew.</summary>
internal static class SyntheticRelease
{
    private static readonly string[] PtpRationales =
    [
        "CPT Manual or CMS manual coding instruction", "Mutually exclusive procedures", "Standards of medical/surgical practice",
        "Misuse of column two code with column one code", "HCPCS/CPT procedure code definition", "More extensive procedure",
        "Gender-specific procedures", "Anesthesia service included in surgical procedure", "Laboratory panel",
        "Deleted/modified edits", "Designation of sequential procedures", "CMS policy",
    ];

    public static RuleSet Build(string id, int practitionerRows, int hospitalRows, int codeCount, int seed)
    {
        var random = new Random(seed);
        var codes = Codes(codeCount, random);
        var start = new DateOnly(2026, 7, 1);
        var builder = new RuleSetBuilder();
        AddPtp(builder.Ptp(TableId.PtpPractitioner, id, start), codes, practitionerRows, random);
        AddPtp(builder.Ptp(TableId.PtpHospital, id, start), codes, hospitalRows, random);
        builder.AddAddOns("AOC_V2026Q3", start, AddOns(codes, random));
        foreach (var (table, n) in new[] { (TableId.MuePractitioner, 12_000), (TableId.MueHospital, 12_000), (TableId.MueDme, 2_900) })
            builder.AddMue(table, "2026-07-01", start, codes.OrderBy(_ => random.Next()).Take(n).Select(c =>
                new MueRow(c, random.Next(0, 20), (MueAdjudication)random.Next(1, 4), random.Next(3) switch
                {
                    0 => "Clinical: Data", 1 => "Code Descriptor / CPT Instruction", _ => "Anatomic Consideration",
                })));
        return builder.Build();
    }

    private static HcpcsCode[] Codes(int count, Random random)
    {
        var set = new HashSet<HcpcsCode>();
        while (set.Count < count)
        {
            var text = random.Next(100) switch
            {
                < 78 => $"{random.Next(10000, 99700):D5}",               // CPT Category I
                < 88 => $"{(char)('A' + random.Next(26))}{random.Next(0, 10000):D4}", // HCPCS Level II
                < 96 => $"{random.Next(0, 1000):D4}T",                  // Category III
                _ => $"{random.Next(0, 500):D4}U",                       // PLA
            };
            if (HcpcsCode.TryParse(text, out var code)) set.Add(code);
        }
        return set.Order().ToArray();
    }

    /// <summary>Zipf-like fan-out: the column-1 code of rank r gets a share ∝ 1/(r+10)^0.9; each ordered pair has 1-3
    /// rows (file-order windows: an old deleted row, then the current one), as in the real files.</summary>
    private static void AddPtp(PtpRows sink, HcpcsCode[] codes, int rows, Random random)
    {
        var column1 = codes.OrderBy(_ => random.Next()).Take(codes.Length * 9 / 10).ToArray();
        var weights = column1.Select((_, r) => 1 / Math.Pow(r + 10, 0.9)).ToArray();
        var total = weights.Sum();
        var added = 0;
        for (var r = 0; r < column1.Length && added < rows; r++)
        {
            var quota = r == column1.Length - 1 ? rows - added : Math.Min(rows - added, Math.Max(1, (int)Math.Round(rows * weights[r] / total)));
            var c1 = column1[r];
            while (quota > 0)
            {
                var c2 = codes[random.Next(codes.Length)];
                if (c2 == c1) continue;
                var windows = Math.Min(quota, random.Next(100) < 70 ? 1 : random.Next(100) < 80 ? 2 : 3);
                var effective = new DateOnly(1996 + random.Next(29), 1 + 3 * random.Next(4), 1);
                for (var w = 0; w < windows; w++)
                {
                    var last = w == windows - 1;
                    var deletion = last && random.Next(100) < 67 ? (DateOnly?)null : effective.AddMonths(3 * (1 + random.Next(8))).AddDays(-1);
                    var indicator = deletion == effective ? ModifierIndicator.NotApplicable : random.Next(100) < 80 ? ModifierIndicator.Allowed : ModifierIndicator.NotAllowed;
                    sink.Add(new PtpRow(c1, c2, effective.Year == 1996 && random.Next(2) == 0, effective, deletion, indicator,
                        PtpRationales[Math.Min(PtpRationales.Length - 1, (int)(random.NextDouble() * random.NextDouble() * PtpRationales.Length))]));
                    if (deletion is { } d) effective = d.AddDays(1);
                }
                quota -= windows;
                added += windows;
            }
        }
    }

    private static IEnumerable<AddOnRow> AddOns(HcpcsCode[] codes, Random random)
    {
        var rows = new List<AddOnRow>();
        foreach (var addOn in codes.OrderBy(_ => random.Next()).Take(743))
        {
            var type = (AddOnType)random.Next(1, 4);
            if (type == AddOnType.Type2)
            {
                rows.Add(new AddOnRow(addOn, null, default, null, type, new DateOnly(2020, 1, 1), null, "Contractor defines primary procedures"));
                continue;
            }
            foreach (var primary in Enumerable.Range(0, random.Next(1, 40)).Select(_ => codes[random.Next(codes.Length)]).Distinct())
                rows.Add(new AddOnRow(addOn, null, primary, random.Next(20) == 0 ? new DateOnly(2023, 12, 31) : null, type, new DateOnly(2011, 1, 1), null));
        }
        return rows;
    }
}

/// <summary>The layout we did not choose: one entity per PTP row, for comparison over a sample.</summary>
internal static class RowPerEdit
{
    public static IEnumerable<Azure.Data.Tables.TableEntity> Entities(TableVersion ptp, int limit)
    {
        var n = 0;
        foreach (var c1 in ptp.PtpColumn1Codes())
        {
            var k = 0;
            var previous = default(HcpcsCode);
            foreach (var edit in ptp.PtpEdits(c1))
            {
                k = edit.Column2 == previous ? k + 1 : 0;
                previous = edit.Column2;
                yield return new Azure.Data.Tables.TableEntity($"{ptp.Key}_ptp-practitioner_{c1}", $"{edit.Column2}_{k}")
                {
                    ["Effective"] = edit.Effective.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
                    ["Deletion"] = edit.Deletion?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
                    ["Indicator"] = (int)edit.Indicator,
                    ["PriorTo1996"] = edit.PriorTo1996,
                    ["Rationale"] = edit.Rationale,
                };
                if (++n == limit) yield break;
            }
        }
    }
}
