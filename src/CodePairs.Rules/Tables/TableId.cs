using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>The three kinds of NCCI table: each kind has its own row shape, file format, index and check.</summary>
public enum TableKind : byte
{
    /// <summary>Procedure-to-procedure edits (two tables: practitioner, outpatient hospital).</summary>
    Ptp,
    /// <summary>Add-on code edits (one table).</summary>
    AddOn,
    /// <summary>Medically unlikely edits (three tables: practitioner, outpatient hospital, DME supplier).</summary>
    Mue,
}

/// <summary>The six tables CMS publishes, each versioned on its own cadence.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TableId>))]
public enum TableId : byte
{
    /// <summary><c>ccipra</c>: practitioner services (also ASCs).</summary>
    [JsonStringEnumMemberName("ptp-practitioner")] PtpPractitioner,
    /// <summary><c>ccioph</c>: outpatient hospital services.</summary>
    [JsonStringEnumMemberName("ptp-hospital")] PtpHospital,
    /// <summary>The add-on code edit table.</summary>
    [JsonStringEnumMemberName("aoc")] AddOn,
    [JsonStringEnumMemberName("mue-practitioner")] MuePractitioner,
    [JsonStringEnumMemberName("mue-hospital")] MueHospital,
    [JsonStringEnumMemberName("mue-dme")] MueDme,
}

/// <summary>Names, kinds and settings of the tables, in one place.</summary>
public static class Tables
{
    /// <summary>Every table, in the order reports list them.</summary>
    public static readonly IReadOnlyList<TableId> All =
        [TableId.PtpPractitioner, TableId.PtpHospital, TableId.AddOn, TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme];

    private static readonly string[] Names = ["ptp-practitioner", "ptp-hospital", "aoc", "mue-practitioner", "mue-hospital", "mue-dme"];

    /// <summary>The table's name in findings, storage keys and the catalogue (<c>ptp-practitioner</c>, <c>aoc</c>, …).</summary>
    public static string Name(this TableId table) => Names[(int)table];

    public static bool TryParse(string? text, out TableId table)
    {
        var i = Array.FindIndex(Names, n => n.Equals(text?.Trim(), StringComparison.OrdinalIgnoreCase));
        table = i < 0 ? default : (TableId)i;
        return i >= 0;
    }

    public static TableId Parse(string text)
        => TryParse(text, out var table) ? table
            : throw new ArgumentException($"'{text}' is not a rule table ({string.Join(", ", Names)})", nameof(text));

    public static TableKind Kind(this TableId table) => table switch
    {
        TableId.PtpPractitioner or TableId.PtpHospital => TableKind.Ptp,
        TableId.AddOn => TableKind.AddOn,
        _ => TableKind.Mue,
    };

    /// <summary>The PTP table a claim of this setting is judged by.</summary>
    public static TableId Ptp(Setting setting) => setting == Setting.Hospital ? TableId.PtpHospital : TableId.PtpPractitioner;

    /// <summary>The MUE table a claim of this setting is judged by.</summary>
    public static TableId Mue(Setting setting) => setting == Setting.Hospital ? TableId.MueHospital : TableId.MuePractitioner;

    /// <summary>The tables a claim of this setting is judged by, in check order.</summary>
    public static IReadOnlyList<TableId> For(Setting setting) => setting == Setting.Hospital ? HospitalTables : PractitionerTables;

    /// <summary>The rule that decides which version of a table is in force on a date: the latest one effective on or
    /// before it; before every version, the earliest when the table's rows carry their own dates (PTP, AOC: CMS keeps
    /// history in each file), else none (MUE rows carry no dates). Used by the engine and by the catalogue alike.</summary>
    public static T? InForce<T>(this TableId table, IEnumerable<T> versions, DateOnly date, Func<T, DateOnly> effectiveFrom) where T : class
    {
        T? latest = null, earliest = null;
        foreach (var v in versions)
        {
            var from = effectiveFrom(v);
            if (from <= date && (latest is null || from > effectiveFrom(latest))) latest = v;
            if (earliest is null || from < effectiveFrom(earliest)) earliest = v;
        }
        return latest ?? (TableKinds.RowsCarryDates(table.Kind()) ? earliest : null);
    }

    private static readonly TableId[] PractitionerTables = [TableId.PtpPractitioner, TableId.AddOn, TableId.MuePractitioner];
    private static readonly TableId[] HospitalTables = [TableId.PtpHospital, TableId.AddOn, TableId.MueHospital];
}
