namespace CodePairs.Rules;

/// <summary>
/// A service line whose dates span several days (837 <c>RD8</c> from–through). NCCI.md: for MUE, "a line spanning
/// several days divides units by days". Kept in one place so the choice can change:
/// <list type="bullet">
/// <item>*inferred* rounding: to the nearest whole number, halves up (CMS speaks of rounding the quotient), and at
/// least 1 — a line that is billed is at least one unit on its first day;</item>
/// <item>the engine judges a line on one date, so a spanning line is judged on its first day (PTP and add-on pairs
/// are then those of that day).</item>
/// </list>
/// </summary>
public static class DateSpan
{
    /// <summary>Days from <paramref name="from"/> to <paramref name="through"/>, both counted.</summary>
    public static int Days(DateOnly from, DateOnly through) => through.DayNumber - from.DayNumber + 1;

    /// <summary>The units an MUE compares for each day of a line of <paramref name="units"/> over <paramref name="days"/> days.</summary>
    public static int UnitsPerDay(int units, int days)
    {
        if (days <= 1) return units;
        var perDay = (int)Math.Round(units / (double)days, MidpointRounding.AwayFromZero);
        return Math.Max(1, perDay);
    }
}
