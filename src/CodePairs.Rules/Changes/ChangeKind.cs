using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>What happened to a row between two versions (or two dates) of a table.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    /// <summary>A new row (a new PTP pair or window, a new add-on/primary row, a newly published MUE).</summary>
    [JsonStringEnumMemberName("added")] Added,
    /// <summary>An edit that ended: its row gained a deletion date (or, between dates, is no longer in force).</summary>
    [JsonStringEnumMemberName("deleted")] Deleted,
    /// <summary>The same row with another indicator, type, rationale, notes or window.</summary>
    [JsonStringEnumMemberName("revised")] Revised,
    /// <summary>A row no longer in the file (CMS keeps deleted edits, so this is rare for PTP and AOC; an MUE no longer published).</summary>
    [JsonStringEnumMemberName("removed")] Removed,
    /// <summary>An MUE value raised.</summary>
    [JsonStringEnumMemberName("raised")] Raised,
    /// <summary>An MUE value lowered.</summary>
    [JsonStringEnumMemberName("lowered")] Lowered,
}
