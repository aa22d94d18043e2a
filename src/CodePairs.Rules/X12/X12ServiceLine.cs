using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CodePairs.Rules.X12;

/// <summary>
/// One service line (loop 2400) as read: what the edits need from <c>SV1</c> (837P) or <c>SV2</c> (837I) and the
/// line's <c>DTP*472</c>, nothing else (charges, descriptions, pointers and the rest are never materialized). Problems
/// are collected as text naming the segment and element and never quote a value other than a code or modifier.
/// </summary>
internal sealed class X12ServiceLine
{
    /// <summary>The 1-based position of the line in its claim (LX01 in a well-formed file).</summary>
    public int Number;
    /// <summary>The segment number of LX, and of the SV1/SV2 (0 until seen).</summary>
    public int LxSegment, ServiceSegment;
    public HcpcsCode Code;
    public readonly Modifier[] Modifiers = new Modifier[Modifier.MaxPerLine];
    public int ModifierCount;
    /// <summary>Set when the line carries no HC code: what it carries (for the not-checked row) and why it is not checked.</summary>
    public string? OtherCode, NotCheckedReason;
    public string? RevenueCode;
    /// <summary>Units as the engine judges them, and what was given when that differs (minutes, fractions).</summary>
    public int Units;
    public string? UnitsNote;
    public DateOnly From, Through;
    /// <summary>A DTP*472 was seen on the line (<see cref="HasDate"/>: and it could be read).</summary>
    public bool DateSeen, HasDate;

    public void Reset(int number, int lxSegment)
    {
        (Number, LxSegment, ServiceSegment, ModifierCount, Units) = (number, lxSegment, 0, 0, 0);
        (Code, OtherCode, NotCheckedReason, RevenueCode, UnitsNote, DateSeen, HasDate) = (default, null, null, null, null, false, false);
    }

    /// <summary><c>SV1*HC:code:m1:m2:m3:m4*charge*UN|MJ*quantity…</c> (837P).</summary>
    public void ReadSv1(int number, ReadOnlySpan<byte> segment, X12Delimiters d, List<string> errors)
    {
        ServiceSegment = number;
        Span<Range> e = stackalloc Range[6]; // SV1, SV101 … SV104, the rest
        X12Segments.Split(segment, d.Element, e);
        if (!ReadProcedure(number, "SV1", "SV101", segment[e[1]], d, errors)) return;
        ReadUnits(number, "SV1", "SV103", "SV104", segment[e[3]], segment[e[4]], "MJ"u8, "MJ (minutes)", errors);
    }

    /// <summary><c>SV2*revenue*HC:code:m1:m2:m3:m4*charge*UN|DA*quantity…</c> (837I). A line with a revenue code and no
    /// procedure code is a normal institutional line: it is not checked, and reported as such.</summary>
    public void ReadSv2(int number, ReadOnlySpan<byte> segment, X12Delimiters d, List<string> errors)
    {
        ServiceSegment = number;
        Span<Range> e = stackalloc Range[7]; // SV2, SV201 … SV205, the rest
        X12Segments.Split(segment, d.Element, e);
        var revenue = segment[e[1]].Trim((byte)' ');
        if (revenue.IsEmpty) errors.Add(X12Text.At(number, "SV2", "SV201", "the revenue code is empty"));
        else RevenueCode = X12Text.Code(revenue, 6);
        var procedure = segment[e[2]];
        if (procedure.Trim((byte)' ').IsEmpty)
        {
            OtherCode = RevenueCode is null ? "" : "revenue " + RevenueCode;
            NotCheckedReason = $"revenue code {RevenueCode} without a procedure code (SV202 is empty): NCCI edits need a HCPCS/CPT code";
            return;
        }
        if (!ReadProcedure(number, "SV2", "SV202", procedure, d, errors)) return;
        ReadUnits(number, "SV2", "SV204", "SV205", segment[e[4]], segment[e[5]], "DA"u8, "DA (days)", errors);
    }

    /// <summary>The composite <c>qualifier:code:m1:m2:m3:m4[:description]</c>; false when the line is not checked or broken.</summary>
    private bool ReadProcedure(int number, string id, string element, ReadOnlySpan<byte> composite, X12Delimiters d, List<string> errors)
    {
        Span<Range> c = stackalloc Range[7]; // qualifier, code, four modifiers, the rest (a description: never read)
        X12Segments.Split(composite, d.Component, c);
        var qualifier = composite[c[0]].Trim((byte)' ');
        var code = composite[c[1]].Trim((byte)' ');
        if (qualifier.IsEmpty)
        {
            errors.Add(X12Text.At(number, id, element + "-1", "the product/service id qualifier is empty"));
            return false;
        }
        if (!qualifier.SequenceEqual("HC"u8))
        {
            OtherCode = X12Text.Code(qualifier, 2) + ":" + X12Text.Code(code, 12);
            NotCheckedReason = $"the procedure code is qualified {X12Text.Code(qualifier, 2)}, not HC (HCPCS/CPT): only HC codes are checked against NCCI edits";
            return false;
        }
        var ok = true;
        if (!TryCode(code, out Code, out var codeError))
        {
            errors.Add(X12Text.At(number, id, element + "-2", codeError));
            ok = false;
        }
        ModifierCount = 0;
        Span<char> buffer = stackalloc char[12];
        for (var m = 0; m < Modifier.MaxPerLine; m++)
        {
            var text = composite[c[2 + m]].Trim((byte)' ');
            if (text.IsEmpty) continue;
            var chars = buffer[..Math.Min(text.Length, 12)];
            for (var i = 0; i < chars.Length; i++) chars[i] = (char)text[i];
            // A longer text is clipped to 12 characters, which is still not a modifier (and the reason quotes at most 10).
            if (Modifier.TryParse(chars, out var modifier, out var modError)) Modifiers[ModifierCount++] = modifier;
            else
            {
                errors.Add(X12Text.At(number, id, $"{element}-{3 + m}", modError));
                ok = false;
            }
        }
        return ok;
    }

    private static bool TryCode(ReadOnlySpan<byte> text, out HcpcsCode code, out string error)
    {
        code = default;
        if (text.Length == 5)
        {
            Span<char> chars = stackalloc char[5];
            for (var i = 0; i < 5; i++) chars[i] = (char)text[i];
            if (HcpcsCode.TryParse(chars, out code, out var e)) { error = ""; return true; }
            error = e;
            return false;
        }
        HcpcsCode.TryParse(Encoding.Latin1.GetString(text[..Math.Min(text.Length, 64)]), out _, out var message);
        error = text.Length > 64 ? $"{text.Length} characters; a CPT/HCPCS code has exactly 5" : message!;
        return false;
    }

    /// <summary>Unit basis (UN, or the other basis this claim type allows) and quantity (X12 R: a decimal number).</summary>
    private void ReadUnits(int number, string id, string basisElement, string quantityElement, ReadOnlySpan<byte> basis, ReadOnlySpan<byte> quantity,
        ReadOnlySpan<byte> otherBasis, string otherName, List<string> errors)
    {
        basis = basis.Trim((byte)' ');
        var isOther = basis.SequenceEqual(otherBasis);
        if (!isOther && !basis.SequenceEqual("UN"u8))
            errors.Add(X12Text.At(number, id, basisElement, $"the unit basis must be UN (units) or {otherName}"));
        quantity = quantity.Trim((byte)' ');
        if (quantity.IsEmpty) { errors.Add(X12Text.At(number, id, quantityElement, "the quantity is empty")); return; }
        if (!Utf8Parser.TryParse(quantity, out decimal value, out var consumed) || consumed != quantity.Length)
        {
            errors.Add(X12Text.At(number, id, quantityElement, "the quantity is not a number"));
            return;
        }
        if (value <= 0) { errors.Add(X12Text.At(number, id, quantityElement, "the quantity must be greater than zero")); return; }
        if (value > ClaimLimits.MaxUnits) { errors.Add(X12Text.At(number, id, quantityElement, $"more than {ClaimLimits.MaxUnits} units")); return; }
        var given = value.ToString(CultureInfo.InvariantCulture);
        if (isOther && otherBasis.SequenceEqual("MJ"u8))
        {
            // Anesthesia time: MUEs count anesthesia services, not minutes; the minutes are reported as given.
            Units = 1;
            UnitsNote = $"reports {given} minutes (MJ): checked as 1 service";
            return;
        }
        Units = (int)Math.Ceiling(value);
        if (Units != value) UnitsNote = $"reports {given} units: checked as {Units}";
    }

    /// <summary><c>DTP*472*D8*CCYYMMDD</c> or <c>DTP*472*RD8*CCYYMMDD-CCYYMMDD</c> (also DTP*434 at claim level in 837I).</summary>
    public static bool TryReadDate(int number, ReadOnlySpan<byte> segment, X12Delimiters d, List<string> errors, out DateOnly from, out DateOnly through)
    {
        from = through = default;
        Span<Range> e = stackalloc Range[5]; // DTP, DTP01 … DTP03, the rest
        X12Segments.Split(segment, d.Element, e);
        var format = segment[e[2]].Trim((byte)' ');
        var value = segment[e[3]].Trim((byte)' ');
        if (format.SequenceEqual("D8"u8))
        {
            if (!TryDate(value, out from)) { errors.Add(X12Text.At(number, "DTP", "DTP03", "not a date in the form CCYYMMDD (D8)")); return false; }
            through = from;
        }
        else if (format.SequenceEqual("RD8"u8))
        {
            if (value.Length != 17 || value[8] != (byte)'-' || !TryDate(value[..8], out from) || !TryDate(value[9..], out through))
            {
                errors.Add(X12Text.At(number, "DTP", "DTP03", "not a date range in the form CCYYMMDD-CCYYMMDD (RD8)"));
                return false;
            }
            if (through < from) { errors.Add(X12Text.At(number, "DTP", "DTP03", "the date range ends before it starts")); return false; }
        }
        else
        {
            errors.Add(X12Text.At(number, "DTP", "DTP02", "the date format must be D8 (a date) or RD8 (a range)"));
            return false;
        }
        if (!NcciDate.IsSupported(from) || !NcciDate.IsSupported(through))
        {
            errors.Add(X12Text.At(number, "DTP", "DTP03", $"outside the supported dates {NcciDate.MinDate:yyyy-MM-dd} to {NcciDate.MaxDate:yyyy-MM-dd}"));
            return false;
        }
        return true;
    }

    private static bool TryDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 8) return false;
        var n = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            n = n * 10 + (b - '0');
        }
        var (year, month, day) = (n / 10000, n / 100 % 100, n % 100);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }
}

/// <summary>How 837 problems are worded: <c>segment 31 SV1, SV101-2: reason</c>.</summary>
internal static class X12Text
{
    public static string At(int segment, string id, string? element, string reason)
        => element is null ? $"segment {segment} {id}: {reason}" : $"segment {segment} {id}, {element}: {reason}";

    /// <summary>A code element for a message: letters, digits and a few separators kept, anything else shown as '?'.</summary>
    public static string Code(ReadOnlySpan<byte> text, int max)
    {
        var n = Math.Min(text.Length, max);
        var chars = new char[n + (text.Length > max ? 1 : 0)];
        for (var i = 0; i < n; i++) chars[i] = char.IsAsciiLetterOrDigit((char)text[i]) || text[i] is (byte)'-' or (byte)'.' ? (char)text[i] : '?';
        if (text.Length > max) chars[n] = '…';
        return new string(chars);
    }
}
