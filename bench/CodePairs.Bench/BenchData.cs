using CodePairs.Rules;

namespace CodePairs.Bench;

/// <summary>
/// A seeded, full-scale rule set in the CMS row shapes, generated in memory for the engine benchmark:
/// ≈ 2.5M practitioner and ≈ 1.9M hospital PTP rows over ≈ 13k codes with a Zipf-like fan-out (a few column-1
/// codes with thousands of partners, most with few), deleted rows, indicator-9 rows, pairs with two windows,
/// swapped pairs; ≈ 3k add-on rows of all three types; ≈ 15k MUE rows per table (DME ≈ 2.9k) with all MAIs and zeros.
/// </summary>
internal sealed class BenchData
{
    public required PtpRow[] PractitionerPtp { get; init; }
    public required PtpRow[] HospitalPtp { get; init; }
    public required AddOnRow[] AddOns { get; init; }
    public required (TableId Table, MueRow[] Rows)[] Mue { get; init; }
    public required HcpcsCode[] Codes { get; init; }
    /// <summary>Column-1 code index → its column-2 partner indexes (practitioner), for building claims that hit edits.</summary>
    public required int[][] Partners { get; init; }
    /// <summary>Code indexes by claim popularity (most billed first), independent of PTP fan-out: the most billed codes
    /// (office visits, common labs) are not the ones with thousands of column-2 partners.</summary>
    public required int[] Popularity { get; init; }

    private static readonly string[] Rationales =
    [
        "Mutually exclusive procedures", "CPT Manual or CMS manual coding instruction", "Misuse of column two code with column one code",
        "Standards of medical/surgical practice", "HCPCS/CPT procedure code definition", "CPT separate procedure definition",
        "Anesthesia service included in surgical procedure", "More extensive procedure", "Laboratory panel",
        "Gender-specific procedures", "Deleted/not deleted code", "Medicare NCCI policy",
    ];

    public static BenchData Generate(string scale, int seed)
    {
        var factor = scale == "small" ? 0.01 : 1.0;
        var random = new Random(seed);
        var codes = MakeCodes(random, (int)(13_000 * Math.Max(factor, 0.05)));
        var (practitioner, partners, _) = MakePtp(random, codes, (int)(2_560_000 * factor));
        var (hospital, _, _) = MakePtp(random, codes, (int)(1_870_000 * factor));
        return new BenchData
        {
            Codes = codes,
            PractitionerPtp = practitioner,
            HospitalPtp = hospital,
            Partners = partners,
            Popularity = [.. Enumerable.Range(0, codes.Length).OrderBy(_ => random.Next())],
            AddOns = MakeAddOns(random, codes, (int)(3_000 * Math.Max(factor, 0.1))),
            Mue =
            [
                (TableId.MuePractitioner, MakeMue(random, codes, (int)(14_700 * Math.Max(factor, 0.05)))),
                (TableId.MueHospital, MakeMue(random, codes, (int)(14_700 * Math.Max(factor, 0.05)))),
                (TableId.MueDme, MakeMue(random, codes, (int)(2_900 * Math.Max(factor, 0.05)))),
            ],
        };
    }

    public RuleSetBuilder ToBuilder()
    {
        var start = new DateOnly(2026, 7, 1);
        var b = new RuleSetBuilder()
            .AddPtp(TableId.PtpPractitioner, "v322r0", start, PractitionerPtp)
            .AddPtp(TableId.PtpHospital, "v322r0", start, HospitalPtp)
            .AddAddOns("AOC_V2026Q3", start, AddOns);
        foreach (var (table, rows) in Mue) b.AddMue(table, "2026-07-01", start, rows);
        return b;
    }

    private static HcpcsCode[] MakeCodes(Random random, int count)
    {
        var set = new HashSet<HcpcsCode>();
        while (set.Count < count)
        {
            var kind = random.Next(100);
            var text = kind switch
            {
                < 80 => random.Next(100, 99_700).ToString("D5"),
                < 88 => random.Next(1, 999).ToString("D4") + "T",
                < 90 => random.Next(1, 400).ToString("D4") + "U",
                _ => (char)('A' + random.Next(26)) + random.Next(0, 9999).ToString("D4"),
            };
            set.Add(HcpcsCode.Parse(text));
        }
        return [.. set.Order()];
    }

    private static (PtpRow[] Rows, int[][] Partners, int[] Order) MakePtp(Random random, HcpcsCode[] codes, int targetRows)
    {
        // Zipf-like fan-out: rank r gets ∝ 1/(r+20)^1.05 partners, capped at 9,000; ranks are shuffled over codes.
        var n = codes.Length;
        var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var weights = Enumerable.Range(0, n).Select(r => 1.0 / Math.Pow(r + 20, 1.05)).ToArray();
        var sum = weights.Sum();
        var distinctPairs = targetRows / 1.17; // ≈ 17% of pairs carry a second row
        var partners = new int[n][];
        var rows = new List<PtpRow>(targetRows + 1000);
        for (var r = 0; r < n; r++)
        {
            var c1 = order[r];
            var count = Math.Min(9_000, Math.Min(n - 1, (int)Math.Round(distinctPairs * weights[r] / sum)));
            var chosen = new HashSet<int>();
            while (chosen.Count < count)
            {
                var c2 = random.Next(n);
                if (c2 != c1) chosen.Add(c2);
            }
            partners[c1] = [.. chosen];
            foreach (var c2 in chosen)
            {
                var rationale = Rationales[random.Next(Rationales.Length)];
                var effective = new DateOnly(1996 + random.Next(30), 1 + 3 * random.Next(4), 1);
                var roll = random.Next(100);
                if (roll < 33)
                {
                    // Deleted at a quarter end; some re-added later with the other indicator.
                    var deletion = QuarterEnd(effective.AddMonths(3 * (1 + random.Next(12))));
                    rows.Add(new PtpRow(codes[c1], codes[c2], false, effective, deletion, Indicator(random), rationale));
                    if (random.Next(2) == 0 && deletion.Year < 2026)
                        rows.Add(new PtpRow(codes[c1], codes[c2], false, deletion.AddDays(1), null, Indicator(random), rationale));
                }
                else
                {
                    rows.Add(new PtpRow(codes[c1], codes[c2], effective.Year == 1996 && random.Next(3) == 0, effective, null, Indicator(random), rationale));
                    if (roll < 36) rows.Add(new PtpRow(codes[c1], codes[c2], false, effective, effective, ModifierIndicator.NotApplicable, rationale));
                }
            }
        }
        return (rows.ToArray(), partners, order);

        static ModifierIndicator Indicator(Random random) => random.Next(100) < 72 ? ModifierIndicator.Allowed : ModifierIndicator.NotAllowed;
        static DateOnly QuarterEnd(DateOnly d) => new DateOnly(d.Year, (d.Month - 1) / 3 * 3 + 1, 1).AddMonths(3).AddDays(-1);
    }

    private static AddOnRow[] MakeAddOns(Random random, HcpcsCode[] codes, int target)
    {
        var rows = new List<AddOnRow>();
        var used = new HashSet<int>();
        while (rows.Count < target)
        {
            var addOn = random.Next(codes.Length);
            if (!used.Add(addOn)) continue;
            var type = random.Next(100) switch { < 70 => AddOnType.Type1, < 85 => AddOnType.Type2, _ => AddOnType.Type3 };
            var effective = new DateOnly(2010 + random.Next(16), 1, 1);
            if (type == AddOnType.Type2)
            {
                rows.Add(new AddOnRow(codes[addOn], null, default, null, type, effective, null));
                continue;
            }
            var primaries = 1 + random.Next(random.Next(10) == 0 ? 60 : 8);
            for (var p = 0; p < primaries; p++)
            {
                var primary = random.Next(codes.Length);
                if (primary == addOn) continue;
                rows.Add(new AddOnRow(codes[addOn], null, codes[primary], random.Next(20) == 0 ? new DateOnly(2023, 12, 31) : null, type, effective, null));
            }
        }
        return [.. rows];
    }

    private static MueRow[] MakeMue(Random random, HcpcsCode[] codes, int count)
    {
        string[] rationales = ["Anatomic Consideration", "Code Descriptor / CPT Instruction", "Clinical: Data", "CMS Policy", "Nature of Service/Procedure"];
        return Enumerable.Range(0, codes.Length).OrderBy(_ => random.Next()).Take(Math.Min(count, codes.Length))
            .Select(i => new MueRow(codes[i],
                random.Next(100) < 3 ? 0 : random.Next(100) < 70 ? 1 + random.Next(2) : 1 + random.Next(60),
                (MueAdjudication)(1 + random.Next(3)),
                rationales[random.Next(rationales.Length)]))
            .ToArray();
    }

    /// <summary>Claims as a scrubber sees them: codes drawn by a Zipf-like popularity (rank r ∝ 1/(r+1)), one of them
    /// with a PTP partner in <paramref name="pairPercent"/>% of claims; add-on codes only with a listed primary (10%
    /// of claims); one DOS; a modifier on one line in five; 1 unit (95%) or 2.</summary>
    public Claim[] Claims(RuleSet rules, int lines, int count, int seed, int pairPercent = 50)
    {
        var random = new Random(seed);
        var addOnPrimaries = AddOns.GroupBy(a => a.AddOn).ToDictionary(g => g.Key, g => g.Where(a => !a.Primary.IsEmpty).Select(a => a.Primary).ToArray());
        var cumulative = new double[Popularity.Length];
        var total = 0.0;
        for (var r = 0; r < cumulative.Length; r++) cumulative[r] = total += 1.0 / (r + 1);
        int Draw()
        {
            while (true)
            {
                var at = Array.BinarySearch(cumulative, random.NextDouble() * total);
                var code = Popularity[Math.Min(at < 0 ? ~at : at, cumulative.Length - 1)];
                if (!addOnPrimaries.ContainsKey(Codes[code])) return code;
            }
        }
        var index = Codes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        string[] modifiers = ["26", "TC", "59", "LT", "RT", "XU", "25", "76"];
        var dos = new DateOnly(2026, 8, 3);
        var claims = new Claim[count];
        for (var k = 0; k < count; k++)
        {
            var chosen = new List<int>();
            var anchor = Draw();
            chosen.Add(anchor);
            if (random.Next(100) < pairPercent && Partners[anchor] is { Length: > 0 } p) chosen.Add(p[random.Next(p.Length)]);
            if (random.Next(10) == 0)
            {
                var (addOn, primaries) = addOnPrimaries.ElementAt(random.Next(addOnPrimaries.Count));
                if (primaries.Length > 0) { chosen.Add(index[addOn]); chosen.Add(index[primaries[random.Next(primaries.Length)]]); }
            }
            while (chosen.Count < lines) chosen.Add(Draw());
            claims[k] = new Claim(Setting.Practitioner, dos, chosen.Take(lines).Select(i => new ClaimLine(Codes[i],
                random.Next(5) == 0 ? [Modifier.Parse(modifiers[random.Next(modifiers.Length)])] : [],
                random.Next(100) < 95 ? 1 : 2)).ToArray());
        }
        GC.KeepAlive(rules);
        return claims;
    }
}
