using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>
/// Writes a claim's answer with <see cref="Utf8JsonWriter"/>, byte for byte what the serializer writes for
/// <see cref="ClaimResponse"/> with the API's options (web names, nulls omitted, the default encoder), without the
/// serializer's per-property metadata walk. A test compares the two on generated claims.
/// </summary>
public static class ClaimJsonWriter
{
    private static readonly JsonEncodedText ClaimId = JsonEncodedText.Encode("claimId"), Clean = JsonEncodedText.Encode("clean"),
        Lines = JsonEncodedText.Encode("lines"), Findings = JsonEncodedText.Encode("findings"), TablesUsed = JsonEncodedText.Encode("tablesUsed"),
        Kind = JsonEncodedText.Encode("kind"), Severity = JsonEncodedText.Encode("severity"), Rule = JsonEncodedText.Encode("rule"),
        Message = JsonEncodedText.Encode("message"), DeniedLines = JsonEncodedText.Encode("deniedLines"), Codes = JsonEncodedText.Encode("codes"),
        DateOfService = JsonEncodedText.Encode("dateOfService"), Source = JsonEncodedText.Encode("source"), Ptp = JsonEncodedText.Encode("ptp"),
        AddOn = JsonEncodedText.Encode("addOn"), Mue = JsonEncodedText.Encode("mue"), Fix = JsonEncodedText.Encode("fix"),
        Table = JsonEncodedText.Encode("table"), Version = JsonEncodedText.Encode("version"), EffectiveFrom = JsonEncodedText.Encode("effectiveFrom"),
        Pack = JsonEncodedText.Encode("pack"), Column1 = JsonEncodedText.Encode("column1"), Column2 = JsonEncodedText.Encode("column2"),
        ModifierIndicator = JsonEncodedText.Encode("modifierIndicator"), Effective = JsonEncodedText.Encode("effective"),
        Deletion = JsonEncodedText.Encode("deletion"), Rationale = JsonEncodedText.Encode("rationale"), PriorTo1996 = JsonEncodedText.Encode("priorTo1996"),
        AddOnCode = JsonEncodedText.Encode("addOnCode"), Type = JsonEncodedText.Encode("type"), ListedPrimaries = JsonEncodedText.Encode("listedPrimaries"),
        EditEffective = JsonEncodedText.Encode("editEffective"), EditDeletion = JsonEncodedText.Encode("editDeletion"), Notes = JsonEncodedText.Encode("notes"),
        Code = JsonEncodedText.Encode("code"), Value = JsonEncodedText.Encode("value"), AdjudicationIndicator = JsonEncodedText.Encode("adjudicationIndicator"),
        Adjudication = JsonEncodedText.Encode("adjudication"), UnitsBilled = JsonEncodedText.Encode("unitsBilled"), Action = JsonEncodedText.Encode("action"),
        BypassModifiers = JsonEncodedText.Encode("bypassModifiers"), EligiblePrimaries = JsonEncodedText.Encode("eligiblePrimaries"),
        UnitsAllowed = JsonEncodedText.Encode("unitsAllowed");

    private static readonly JsonEncodedText[] KindNames = [JsonEncodedText.Encode("ptp"), JsonEncodedText.Encode("addOn"), JsonEncodedText.Encode("mue"), JsonEncodedText.Encode("invalidInput")];
    private static readonly JsonEncodedText[] SeverityNames = [JsonEncodedText.Encode("info"), JsonEncodedText.Encode("warning"), JsonEncodedText.Encode("bypassable"), JsonEncodedText.Encode("deny")];

    /// <summary>The answer to one claim, as an object (the single-claim response body).</summary>
    public static void WriteResponse(Utf8JsonWriter w, string? claimId, ValidationResult result)
    {
        w.WriteStartObject();
        WriteResponseProperties(w, claimId, result);
        w.WriteEndObject();
    }

    /// <summary>The answer's properties, for an object the caller opened (a batch item adds its index first).</summary>
    public static void WriteResponseProperties(Utf8JsonWriter w, string? claimId, ValidationResult result)
    {
        if (claimId is not null) w.WriteString(ClaimId, claimId);
        w.WriteBoolean(Clean, result.Clean);
        w.WriteNumber(Lines, result.Lines);
        w.WriteStartArray(Findings);
        foreach (var f in result.Findings) WriteFinding(w, f);
        w.WriteEndArray();
        w.WritePropertyName(TablesUsed);
        Cached(w, result.TablesUsed, static (fw, sources) =>
        {
            fw.WriteStartArray();
            foreach (var s in sources) WriteSource(fw, s);
            fw.WriteEndArray();
        });
    }

    private sealed record Fragment(JavaScriptEncoder? Encoder, byte[] Json);

    // The JSON of objects a rule set shares between answers (an era's table versions, a version's or pack's source), written
    // once per object and copied after: most of an answer's many small writes are these.
    private static readonly ConditionalWeakTable<object, Fragment> Fragments = [];

    private static void Cached<T>(Utf8JsonWriter w, T value, Action<Utf8JsonWriter, T> write) where T : class
    {
        if (w.Options.Indented)
        {
            write(w, value);
            return;
        }
        if (!Fragments.TryGetValue(value, out var fragment) || fragment.Encoder != w.Options.Encoder)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var fw = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = w.Options.Encoder, SkipValidation = true })) write(fw, value);
            fragment = new Fragment(w.Options.Encoder, buffer.WrittenSpan.ToArray());
            Fragments.AddOrUpdate(value, fragment);
        }
        w.WriteRawValue(fragment.Json, skipInputValidation: true);
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString(Kind, KindNames[(int)f.Kind]);
        w.WriteString(Severity, SeverityNames[(int)f.Severity]);
        w.WriteString(Rule, f.Rule);
        w.WriteString(Message, f.Message);
        Numbers(w, Lines, f.Lines);
        Numbers(w, DeniedLines, f.DeniedLines);
        Strings(w, Codes, f.Codes);
        Date(w, DateOfService, f.DateOfService);
        if (f.Source is { } source)
        {
            w.WritePropertyName(Source);
            Cached(w, source, WriteSource);
        }
        if (f.Ptp is { } ptp)
        {
            w.WriteStartObject(Ptp);
            w.WriteString(Column1, ptp.Column1);
            w.WriteString(Column2, ptp.Column2);
            w.WriteNumber(ModifierIndicator, ptp.ModifierIndicator);
            Date(w, Effective, ptp.Effective);
            Date(w, Deletion, ptp.Deletion);
            w.WriteString(Rationale, ptp.Rationale);
            w.WriteBoolean(PriorTo1996, ptp.PriorTo1996);
            w.WriteEndObject();
        }
        if (f.AddOn is { } addOn)
        {
            w.WriteStartObject(AddOn);
            w.WriteString(AddOnCode, addOn.AddOnCode);
            Number(w, Type, addOn.Type);
            Strings(w, ListedPrimaries, addOn.ListedPrimaries);
            Date(w, EditEffective, addOn.EditEffective);
            Date(w, EditDeletion, addOn.EditDeletion);
            if (addOn.Notes is not null) w.WriteString(Notes, addOn.Notes);
            w.WriteEndObject();
        }
        if (f.Mue is { } mue)
        {
            w.WriteStartObject(Mue);
            w.WriteString(Code, mue.Code);
            Number(w, Value, mue.Value);
            Number(w, AdjudicationIndicator, mue.AdjudicationIndicator);
            if (mue.Adjudication is not null) w.WriteString(Adjudication, mue.Adjudication);
            if (mue.Rationale is not null) w.WriteString(Rationale, mue.Rationale);
            w.WriteNumber(UnitsBilled, mue.UnitsBilled);
            w.WriteEndObject();
        }
        var fix = f.Fix;
        w.WriteStartObject(Fix);
        w.WriteString(Action, fix.Action);
        if (fix.BypassModifiers is not null) Strings(w, BypassModifiers, fix.BypassModifiers);
        if (fix.EligiblePrimaries is not null) Strings(w, EligiblePrimaries, fix.EligiblePrimaries);
        Number(w, UnitsAllowed, fix.UnitsAllowed);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter w, RuleSource s)
    {
        w.WriteStartObject();
        w.WriteString(Table, s.Table);
        w.WriteString(Version, s.Version);
        Date(w, EffectiveFrom, s.EffectiveFrom);
        if (s.Pack is not null) w.WriteString(Pack, s.Pack);
        w.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter w, JsonEncodedText name, IReadOnlyList<int> values)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++) w.WriteNumberValue(values[i]);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, JsonEncodedText name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++) w.WriteStringValue(values[i]);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, JsonEncodedText name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
    }

    private static void Date(Utf8JsonWriter w, JsonEncodedText name, DateOnly? value)
    {
        if (value is not { } date) return;
        Span<byte> text = stackalloc byte[10];
        date.TryFormat(text, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        w.WriteString(name, text[..written]);
    }
}
