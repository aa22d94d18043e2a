using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using CodePairs.Rules.Cms;

namespace CodePairs.Rules.Generation;

/// <summary>Sizes and seed of a generated quarter of CMS tables. <see cref="Small"/> for tests, <see cref="Full"/> for
/// benchmarks (the sizes of a real v32.2 quarter, NCCI.md).</summary>
public sealed record GeneratorOptions
{
    public int Seed { get; init; } = 1;
    /// <summary>The PTP version of the quarter (v322r0); the AOC version (AOC_V2026Q3) and the MUE effective date
    /// (2026-07-01) follow from its quarter.</summary>
    public string ReleaseId { get; init; } = "v322r0";
    /// <summary>The tables to generate (a drop holds any subset; default all six).</summary>
    public IReadOnlyList<TableId> Tables { get; init; } = CodePairs.Rules.Tables.All;
    /// <summary>Distinct codes named by the PTP tables.</summary>
    public int PtpCodes { get; init; }
    public int PractitionerPtpRows { get; init; }
    public int HospitalPtpRows { get; init; }
    /// <summary>The most column-2 partners one column-1 code gets (the head of the skew).</summary>
    public int MaxPartners { get; init; }
    public int AddOnRows { get; init; }
    /// <summary>Rows of the practitioner and outpatient-hospital MUE tables (each).</summary>
    public int MueRows { get; init; }
    public int DmeMueRows { get; init; }

    public DateOnly EffectiveFrom => CmsNames.TryReleaseStart(ReleaseId, out var start) ? start
        : throw new ArgumentException($"'{ReleaseId}' is not a release id like v322r0");

    public static GeneratorOptions Small(int seed = 1) => new()
    {
        Seed = seed, PtpCodes = 400, PractitionerPtpRows = 6_000, HospitalPtpRows = 4_500, MaxPartners = 250,
        AddOnRows = 120, MueRows = 450, DmeMueRows = 90,
    };

    public static GeneratorOptions Full(int seed = 1) => new()
    {
        Seed = seed, PtpCodes = 13_000, PractitionerPtpRows = 2_560_000, HospitalPtpRows = 1_870_000, MaxPartners = 6_000,
        AddOnRows = 3_000, MueRows = 15_000, DmeMueRows = 2_900,
    };
}

/// <summary>
/// A deterministic, seeded quarter of CMS tables: skewed PTP tables (a few column-1 codes with thousands of partners, most with
/// few) with deleted rows, indicator-9 rows, pairs with several windows and swapped pairs; AOC rows of all three
/// types; MUE tables with all MAIs, zeros and gaps. Either fills a <see cref="RuleSetBuilder"/> directly
/// (<see cref="Build"/>) or writes the files CMS ships, zipped and named as CMS's downloads are (<see cref="WriteFiles"/>).
/// Both outputs carry exactly the same rows.
/// </summary>
public sealed partial class ReleaseGenerator
{
    private static readonly string[] PtpRationales =
    [
        "CPT Manual or CMS manual coding instruction", "Mutually exclusive procedures",
        "Misuse of column two code with column one code", "Standards of medical/surgical practice",
        "HCPCS/CPT procedure code definition", "More extensive procedure", "Anesthesia service included in surgical procedure",
        "Sex specific procedure", "Laboratory panel", "Deleted/Terminated code",
    ];

    private static readonly string[] MueRationales =
    [
        "Anatomic Consideration", "Clinical: Data", "CMS Policy", "Code Descriptor / CPT Instruction", "Nature of Service/Procedure",
        "Nature of Analyte", "Prescribing Information", "Published Contractor Policy", "Clinical: CMS Workgroup", "Nature of Equipment",
        "CMS NCCI Policy", "Clinical: Society Comment",
    ];

    private static readonly string[] Notes =
    [
        "Report with the primary procedure on the same date of service",
        "Refer to CPT instructions for the primary codes",
    ];

    private readonly GeneratorOptions _o;
    private readonly HcpcsCode[] _universe;   // every code any table names, ascending
    private readonly HcpcsCode[] _ptpCodes;   // the PTP subset, ascending

    public ReleaseGenerator(GeneratorOptions options)
    {
        _o = options;
        var random = new Random(options.Seed);
        var size = (int)(Math.Max(options.PtpCodes, options.MueRows) * 1.15) + options.DmeMueRows + 100;
        _universe = MakeCodes(random, size);
        var picked = _universe.OrderBy(_ => random.Next()).Take(options.PtpCodes).ToArray();
        Array.Sort(picked);
        _ptpCodes = picked;
    }

    public GeneratorOptions Options => _o;

    /// <summary>The generated tables, in memory, ready for <see cref="RuleSetBuilder.Build"/>.</summary>
    public static RuleSetBuilder Build(GeneratorOptions options) => new ReleaseGenerator(options).Build();

    public RuleSetBuilder Build()
    {
        var b = new RuleSetBuilder();
        foreach (var table in PtpTables)
        {
            var sink = b.Ptp(table, _o.ReleaseId, _o.EffectiveFrom);
            Ptp(table, (in PtpRow row, bool _) => sink.Add(row));
        }
        if (Wants(TableId.AddOn)) b.AddAddOns(AddOnVersion, _o.EffectiveFrom, AddOns());
        foreach (var table in MueTables) b.AddMue(table, MueVersion, _o.EffectiveFrom, Mue(table));
        return b;
    }

    private bool Wants(TableId table) => _o.Tables.Contains(table);
    private IEnumerable<TableId> PtpTables => ((TableId[])[TableId.PtpPractitioner, TableId.PtpHospital]).Where(Wants);
    private IEnumerable<TableId> MueTables => ((TableId[])[TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme]).Where(Wants);
    private string AddOnVersion => CmsNames.AddOnVersion(_o.EffectiveFrom);
    private string MueVersion => _o.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the tables as CMS ships them, under CMS's download names: four zips per PTP table (<c>.TXT</c> +
    /// ignored <c>.xlsx</c>), the AOC zip (<c>.xlsx</c> + its fixed-width <c>.txt</c>), one zip per MUE table
    /// (<c>.csv</c> + <c>.xlsx</c>), then a <c>release.json</c> manifest with each file's SHA-256.
    /// <paramref name="create"/> opens a named output file; the generator disposes each stream. Returns the file names.</summary>
    public IReadOnlyList<string> WriteFiles(Func<string, Stream> create, IProgress<string>? progress = null)
    {
        var written = new List<ReleaseManifest.File>();
        foreach (var table in PtpTables) WritePtp(table, create, written, progress);

        if (Wants(TableId.AddOn))
            WriteZip(CmsNames.AddOnZip(_o.EffectiveFrom), create, written, progress, zip =>
            {
                using (var entry = zip.CreateEntry(CmsNames.AddOnWorkbook(AddOnVersion), CompressionLevel.Fastest).Open())
                    AddOnWorkbook.Write(entry, AddOns());
                using var text = new StreamWriter(zip.CreateEntry(CmsNames.AddOnFixedWidth(AddOnVersion), CompressionLevel.Fastest).Open(), System.Text.Encoding.Latin1);
                text.Write("The fixed-width copy of the workbook (not read).\r\n");
            });
        foreach (var table in MueTables)
            WriteZip(CmsNames.MueZip(table, _o.EffectiveFrom), create, written, progress, zip =>
            {
                using (var entry = zip.CreateEntry(CmsNames.MueCsv(table, _o.EffectiveFrom), CompressionLevel.Fastest).Open())
                    MueCsvFile.Write(entry, table, Mue(table));
                using var sheet = zip.CreateEntry(Path.ChangeExtension(CmsNames.MueCsv(table, _o.EffectiveFrom), ".xlsx"), CompressionLevel.Fastest).Open();
                AddOnWorkbook.WriteText(sheet, [["This workbook repeats the .csv of the same name."]]);
            });

        var manifest = new ReleaseManifest(_o.ReleaseId, _o.EffectiveFrom, written);
        using (var stream = create(CmsNames.ManifestName)) manifest.Write(stream);
        return [.. written.Select(f => f.Name), CmsNames.ManifestName];
    }

    private void WritePtp(TableId table, Func<string, Stream> create, List<ReleaseManifest.File> written, IProgress<string>? progress)
    {
        var target = table == TableId.PtpHospital ? _o.HospitalPtpRows : _o.PractitionerPtpRows;
        var part = 0;
        ZipArchive? zip = null;
        HashingStream? file = null;
        Stream? entry = null;
        PtpTextFile.Writer? writer = null;
        void Close()
        {
            if (writer is null) return;
            writer.Dispose();
            entry!.Dispose();
            using (var sheet = zip!.CreateEntry(CmsNames.PtpWorkbook(table, _o.ReleaseId, part), CompressionLevel.Fastest).Open())
                AddOnWorkbook.WriteText(sheet, [["This workbook repeats the .TXT of the same name."], ["Column 1", "Column 2"]]);
            zip.Dispose();
            written.Add(file!.Finish());
            file.Dispose();
            progress?.Report($"{file.Name}: {writer.Rows:N0} rows");
            writer = null;
        }
        void Open()
        {
            part++;
            var name = CmsNames.PtpZip(table, _o.ReleaseId, part);
            file = new HashingStream(create(name), name);
            zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            entry = zip.CreateEntry(CmsNames.PtpText(table, _o.ReleaseId, part), CompressionLevel.Fastest).Open();
            writer = new PtpTextFile.Writer(entry);
        }
        Open();
        Ptp(table, (in PtpRow row, bool newColumn1) =>
        {
            // CMS splits a table over four files at column-1 boundaries.
            if (newColumn1 && part < 4 && writer!.Rows >= (long)target * part / 4 - (long)target * (part - 1) / 4) { Close(); Open(); }
            writer!.Write(row);
        });
        while (part < 4) { Close(); Open(); }
        Close();
    }

    private static void WriteZip(string name, Func<string, Stream> create, List<ReleaseManifest.File> written, IProgress<string>? progress, Action<ZipArchive> fill)
    {
        using var file = new HashingStream(create(name), name);
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true)) fill(zip);
        written.Add(file.Finish());
        progress?.Report(name);
    }

    private delegate void PtpSink(in PtpRow row, bool newColumn1);

    /// <summary>The rows of a PTP table in CMS order (column 1, then column 2).</summary>
    private void Ptp(TableId table, PtpSink sink)
    {
        var target = table == TableId.PtpHospital ? _o.HospitalPtpRows : _o.PractitionerPtpRows;
        var random = new Random(SubSeed(101 + PtpStream(table)));
        var n = _ptpCodes.Length;
        // Skew: column-1 rank r gets about scale / (r + 1)^1.1 partners, capped, so a few codes have thousands.
        var rank = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var column1Count = (int)(n * 0.85);
        var pairs = target / 1.14;
        var weights = new double[n];
        for (var i = 0; i < n; i++) weights[i] = rank[i] < column1Count ? 1.0 / Math.Pow(rank[i] + 1, 1.1) : 0;
        var cap = Math.Min(_o.MaxPartners, n - 1);
        double lo = 0, hi = pairs * 10;
        for (var iter = 0; iter < 60; iter++)
        {
            var mid = (lo + hi) / 2;
            double sum = 0;
            foreach (var w in weights) sum += Math.Min(cap, w * mid);
            if (sum < pairs) lo = mid; else hi = mid;
        }
        var start = NcciDate.ToDay(new DateOnly(1996, 1, 1));
        var end = NcciDate.ToDay(_o.EffectiveFrom.AddDays(-1));
        var emitted = 0;
        var partners = new List<int>();
        var chosen = new HashSet<int>();
        for (var c1 = 0; c1 < n && emitted < target; c1++)
        {
            if (weights[c1] == 0) continue;
            var k = (int)Math.Clamp(Math.Round(weights[c1] * lo), 1, cap);
            partners.Clear();
            chosen.Clear();
            while (chosen.Count < k)
            {
                var p = random.Next(n);
                if (p != c1) chosen.Add(p);
            }
            partners.AddRange(chosen);
            partners.Sort();
            var first = true;
            foreach (var c2 in partners)
            {
                if (emitted >= target) break;
                foreach (var row in PairRows(random, _ptpCodes[c1], _ptpCodes[c2], start, end))
                {
                    sink(row, first);
                    first = false;
                    emitted++;
                }
            }
        }
    }

    private static IEnumerable<PtpRow> PairRows(Random random, HcpcsCode c1, HcpcsCode c2, ushort start, ushort end)
    {
        var rationale = PtpRationales[Math.Min(PtpRationales.Length - 1, (int)(-Math.Log(1 - random.NextDouble()) * 2.2))];
        var indicator = random.NextDouble() < 0.3 ? ModifierIndicator.NotAllowed : ModifierIndicator.Allowed;
        var old = random.NextDouble() < 0.1;
        var effective = old ? new DateOnly(1996, 1, 1) : QuarterStart(random, start, end);
        var prior = old && random.NextDouble() < 0.5;
        var u = random.NextDouble();
        if (u < 0.62)
        {
            yield return new PtpRow(c1, c2, prior, effective, null, indicator, rationale);
        }
        else if (u < 0.86)
        {
            yield return new PtpRow(c1, c2, prior, effective, QuarterEndAfter(random, effective, end), indicator, rationale);
        }
        else if (u < 0.92)
        {
            // Like 13121/13120: a neutralised row (indicator 9, deletion = effective), then the edit in force.
            yield return new PtpRow(c1, c2, false, effective, effective, ModifierIndicator.NotApplicable, rationale);
            yield return new PtpRow(c1, c2, prior, effective, null, indicator, rationale);
        }
        else if (u < 0.97)
        {
            // Two windows: the edit changed its indicator at a quarter end.
            var cut = QuarterEndAfter(random, effective, end);
            yield return new PtpRow(c1, c2, prior, effective, cut, ModifierIndicator.NotAllowed, rationale);
            yield return new PtpRow(c1, c2, false, cut.AddDays(1), null, ModifierIndicator.Allowed, rationale);
        }
        else
        {
            // Like 17000/17281: a deleted edit plus an indicator-9 row with another rationale.
            yield return new PtpRow(c1, c2, prior, effective, QuarterEndAfter(random, effective, end), indicator, rationale);
            yield return new PtpRow(c1, c2, false, effective, effective, ModifierIndicator.NotApplicable, PtpRationales[4]);
        }
    }

    private static DateOnly QuarterStart(Random random, ushort start, ushort end)
    {
        var d = NcciDate.FromDay((ushort)random.Next(start, end));
        return new DateOnly(d.Year, (d.Month - 1) / 3 * 3 + 1, 1);
    }

    private static DateOnly QuarterEndAfter(Random random, DateOnly effective, ushort end)
    {
        var last = NcciDate.FromDay(end);
        var from = NcciDate.ToDay(effective);
        var d = NcciDate.FromDay((ushort)random.Next(from, Math.Max(from + 1, end)));
        var q = new DateOnly(d.Year, (d.Month - 1) / 3 * 3 + 1, 1).AddMonths(3).AddDays(-1);
        return q > last ? last : q;
    }

    /// <summary>AOC rows: about 62% type 1, 8% type 2 (one CCCCC row), 30% type 3; some deleted codes, primaries and edits.</summary>
    public IEnumerable<AddOnRow> AddOns()
    {
        var random = new Random(SubSeed(202));
        var codes = _ptpCodes;
        var used = new HashSet<int>();
        var rows = 0;
        while (rows < _o.AddOnRows)
        {
            var addOn = codes[random.Next(codes.Length)];
            if (!used.Add(addOn.Packed)) continue;
            var u = random.NextDouble();
            var type = used.Count <= 3 ? (AddOnType)used.Count // every release has all three types
                : u < 0.62 ? AddOnType.Type1 : u < 0.70 ? AddOnType.Type2 : AddOnType.Type3;
            var effective = new DateOnly(2010 + random.Next(0, 15), 1, 1);
            DateOnly? aocDeletion = random.NextDouble() < 0.03 ? new DateOnly(effective.Year + 2, 12, 31) : null;
            DateOnly? editDeletion = random.NextDouble() < 0.05 ? new DateOnly(effective.Year + 1, 12, 31) : null;
            var notes = random.NextDouble() < 0.05 ? Notes[random.Next(Notes.Length)] : null;
            if (type == AddOnType.Type2)
            {
                yield return new AddOnRow(addOn, aocDeletion, default, null, type, effective, editDeletion, notes);
                rows++;
                continue;
            }
            var count = Math.Min(_o.AddOnRows - rows, 1 + (int)(-Math.Log(1 - random.NextDouble()) * 4));
            var primaries = new SortedSet<int>();
            while (primaries.Count < count)
            {
                var p = codes[random.Next(codes.Length)];
                if (p != addOn) primaries.Add(p.Packed);
            }
            foreach (var p in primaries)
            {
                DateOnly? primaryDeletion = random.NextDouble() < 0.05 ? new DateOnly(2015 + random.Next(0, 10), 12, 31) : null;
                yield return new AddOnRow(addOn, aocDeletion, HcpcsCode.FromPackedChecked(p), primaryDeletion, type, effective, editDeletion, notes);
                rows++;
            }
        }
    }

    /// <summary>MUE rows in code order: values with zeros and a long tail, all three MAIs, codes left out (gaps:
    /// confidential or no MUE). DME uses HCPCS Level II codes.</summary>
    public IEnumerable<MueRow> Mue(TableId table)
    {
        var random = new Random(SubSeed(303 + MueStream(table)));
        var pool = table == TableId.MueDme
            ? [.. _universe.Where(c => c.Kind == CodeKind.HcpcsLevelII), .. _universe.Where(c => c.Kind != CodeKind.HcpcsLevelII)]
            : _universe;
        var count = table == TableId.MueDme ? _o.DmeMueRows : _o.MueRows;
        HcpcsCode[] picked;
        if (table == TableId.MueDme) picked = pool.Take(count).OrderBy(_ => random.Next()).Take(count).ToArray();
        else
        {
            // As in real releases, nearly every code with PTP edits has a published MUE; the rest of the table (and the
            // gaps: codes with no or a confidential MUE) come from the wider code list.
            var withPtp = _ptpCodes.OrderBy(_ => random.Next()).Take(Math.Min(count, (int)(_ptpCodes.Length * 0.95))).ToArray();
            var ptpSet = _ptpCodes.Select(c => c.Packed).ToHashSet();
            var others = _universe.Where(c => !ptpSet.Contains(c.Packed)).OrderBy(_ => random.Next()).Take(count - withPtp.Length);
            picked = [.. withPtp, .. others];
        }
        Array.Sort(picked);
        foreach (var code in picked)
        {
            var u = random.NextDouble();
            var value = u < 0.02 ? 0 : u < 0.55 ? 1 : u < 0.75 ? random.Next(2, 5) : u < 0.90 ? random.Next(5, 21) : u < 0.98 ? random.Next(21, 201) : random.Next(201, 10_000);
            var m = random.NextDouble();
            var mai = m < 0.35 ? MueAdjudication.Line : m < 0.80 ? MueAdjudication.DateOfServicePolicy : MueAdjudication.DateOfServiceClinical;
            yield return new MueRow(code, value, mai, MueRationales[random.Next(MueRationales.Length)]);
        }
    }

    // The random streams of the tables, numbered as before tables had ids (keeps every seed's rows unchanged).
    private static int PtpStream(TableId table) => table == TableId.PtpHospital ? 1 : 0;
    private static int MueStream(TableId table) => table switch { TableId.MueHospital => 1, TableId.MueDme => 2, _ => 0 };

    // HashCode.Combine is randomised per process; the generator must give the same rows for a seed in every run.
    private int SubSeed(int stream) => (int)((uint)(_o.Seed * 1_000_003 + stream * 7_919) & int.MaxValue);

    private static HcpcsCode[] MakeCodes(Random random, int count)
    {
        var set = new HashSet<int>();
        Span<char> s = stackalloc char[5];
        const string letters = "ACEGJKLQ";
        while (set.Count < count)
        {
            var u = random.NextDouble();
            string text;
            if (u < 0.66) text = random.Next(10000, 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            else if (u < 0.69) text = random.Next(100, 2000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            else if (u < 0.76) text = random.Next(1, 1000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "T";
            else if (u < 0.80) text = random.Next(1, 1000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "U";
            else text = letters[random.Next(letters.Length)] + random.Next(0, 10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            set.Add(HcpcsCode.Parse(text).Packed);
        }
        var codes = set.ToArray();
        Array.Sort(codes);
        return codes.Select(HcpcsCode.FromPackedChecked).ToArray();
    }
}
