namespace CodePairs.Rules;

/// <summary>
/// The one place that decides what an edit's date window means. NCCI.md (inferred from the data): an edit is in
/// force when <c>effective ≤ DOS</c> and (no deletion date, or <c>DOS ≤ deletion</c>) — the deletion date is the
/// last day in force (deleted edits carry quarter ends such as 20231231).
/// Dates are stored as days since 1970-01-01 in a ushort (good until 2149); <see cref="Open"/> means "no deletion date".
/// </summary>
public static class NcciDate
{
    public const ushort Open = ushort.MaxValue;
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;
    public static readonly DateOnly MinDate = new(1970, 1, 1);
    public static readonly DateOnly MaxDate = DateOnly.FromDayNumber(EpochDayNumber + ushort.MaxValue - 1);

    public static bool InForce(ushort effective, ushort deletion, ushort dos) => effective <= dos && dos <= deletion;

    public static bool InForce(DateOnly effective, DateOnly? deletion, DateOnly dos)
        => effective <= dos && (deletion is null || dos <= deletion.Value);

    public static ushort ToDay(DateOnly date)
    {
        if (date < MinDate || date > MaxDate)
            throw new ArgumentOutOfRangeException(nameof(date), date, $"dates must fall between {MinDate:yyyy-MM-dd} and {MaxDate:yyyy-MM-dd}");
        return (ushort)(date.DayNumber - EpochDayNumber);
    }

    public static ushort ToDay(DateOnly? date) => date is null ? Open : ToDay(date.Value);

    public static bool IsSupported(DateOnly date) => date >= MinDate && date <= MaxDate;

    public static DateOnly FromDay(ushort day) => DateOnly.FromDayNumber(EpochDayNumber + day);

    public static DateOnly? FromDayOrOpen(ushort day) => day == Open ? null : FromDay(day);
}
