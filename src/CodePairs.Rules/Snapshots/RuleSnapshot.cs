using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace CodePairs.Rules.Snapshots;

/// <summary>A snapshot could not be loaded: not a snapshot, another format version, truncated, or corrupt.</summary>
public sealed class SnapshotException(string message) : Exception(message);

/// <summary>One release read back from a snapshot, with the codes its index ids refer to.</summary>
public sealed class ReleaseSnapshot
{
    internal ReleaseSnapshot(int[] codes, Release release)
    {
        Codes = codes;
        Release = release;
    }

    /// <summary>Sorted packed codes: the id space of <see cref="Release"/>'s indexes.</summary>
    internal int[] Codes { get; }
    public Release Release { get; }
}

/// <summary>
/// The compact binary form of one built release — what blob storage keeps for fast cold starts.
/// Layout (little-endian): magic <c>CPRULES\0</c> · u32 format version · u64 payload length · u64 XxHash64 of the payload ·
/// payload. The payload holds the release header, the code list its ids refer to (the rule set's whole code index, so a
/// release written from a multi-release rule set keeps its ids), and the index arrays as raw bytes, so loading is a
/// hash check and a few block copies. <see cref="Combine"/> merges releases whose code lists differ by remapping ids
/// (ids follow code order, so remapping keeps every sorted run sorted).
/// </summary>
public static class RuleSnapshot
{
    public const uint FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CPRULES\0"u8;
    private const int HeaderBytes = 8 + 4 + 8 + 8;

    /// <summary>Writes the only release of <paramref name="rules"/>.</summary>
    public static void Write(Stream output, RuleSet rules)
    {
        if (rules.Releases.Count != 1) throw new ArgumentException($"the rule set holds {rules.Releases.Count} releases; name the one to write (one snapshot per release)");
        Write(output, rules, rules.Releases[0]);
    }

    public static void Write(Stream output, RuleSet rules, Release release)
    {
        EnsureLittleEndian();
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(release.Id);
            w.Write(release.EffectiveFrom.DayNumber);
            w.Write(release.Components.Count);
            foreach (var c in release.Components)
            {
                w.Write(c.Table);
                w.Write(c.Version);
                w.Write(c.Rows);
                w.Write(c.EffectiveFrom.DayNumber);
            }
            Array(w, rules.Codes.PackedCodes);
            foreach (var p in release.PtpTables)
            {
                w.Write(p is not null);
                if (p is null) continue;
                Array<int>(w, p.Offsets);
                Array<ushort>(w, p.Column2);
                Array<ushort>(w, p.Effective);
                Array<ushort>(w, p.Deletion);
                Array<byte>(w, p.Meta);
                Strings(w, p.Rationales);
            }
            var a = release.AddOns;
            w.Write(a is not null);
            if (a is not null)
            {
                Array<int>(w, a.Offsets);
                Array<ushort>(w, a.Primary);
                Array<byte>(w, a.Type);
                Array<ushort>(w, a.AddOnDeletion);
                Array<ushort>(w, a.PrimaryDeletion);
                Array<ushort>(w, a.EditEffective);
                Array<ushort>(w, a.EditDeletion);
                w.Write(a.Notes.Length);
                foreach (var n in a.Notes)
                {
                    w.Write(n is not null);
                    if (n is not null) w.Write(n);
                }
            }
            foreach (var m in release.MueTables)
            {
                w.Write(m is not null);
                if (m is null) continue;
                Array<int>(w, m.Value);
                Array<byte>(w, m.Adjudication);
                Array<byte>(w, m.Rationale);
                Strings(w, m.Rationales);
                w.Write(m.RowCount);
            }
        }
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], (ulong)body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[20..], XxHash64.HashToUInt64(body));
        output.Write(header);
        output.Write(body);
    }

    /// <summary>Reads one snapshot. Throws <see cref="SnapshotException"/> naming <paramref name="name"/> and what is wrong.</summary>
    public static ReleaseSnapshot Read(Stream input, string name = "snapshot")
    {
        EnsureLittleEndian();
        byte[] bytes;
        if (input.CanSeek)
        {
            bytes = new byte[input.Length - input.Position];
            input.ReadExactly(bytes);
        }
        else
        {
            using var m = new MemoryStream();
            input.CopyTo(m);
            bytes = m.ToArray();
        }
        if (bytes.Length < HeaderBytes || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new SnapshotException($"{name}: not a CodePairs rule snapshot (bad magic or shorter than the {HeaderBytes}-byte header)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion)
            throw new SnapshotException($"{name}: snapshot format version {version}; this build reads version {FormatVersion} (rebuild the snapshot with 'rules import')");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        var actual = (ulong)(bytes.Length - HeaderBytes);
        if (actual < length) throw new SnapshotException($"{name}: truncated: the header promises {length:N0} payload bytes, the file holds {actual:N0}");
        if (actual > length) throw new SnapshotException($"{name}: {actual - length:N0} unexpected bytes after the payload");
        var body = bytes.AsSpan(HeaderBytes);
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(20)))
            throw new SnapshotException($"{name}: checksum mismatch: the snapshot is corrupt");
        try
        {
            return Parse(bytes, HeaderBytes, name);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or EndOfStreamException or InvalidOperationException or OverflowException)
        {
            throw new SnapshotException($"{name}: corrupt payload: {e.Message}");
        }
    }

    /// <summary>Loads one snapshot as a rule set.</summary>
    public static RuleSet Load(Stream input, string name = "snapshot") => Combine(Read(input, name));

    /// <summary>Builds one rule set from releases loaded separately. When their code lists differ, the union becomes the
    /// rule set's code index and every release's ids are remapped onto it.</summary>
    public static RuleSet Combine(params IReadOnlyList<ReleaseSnapshot> snapshots)
    {
        if (snapshots.Count == 0) throw new ArgumentException("a rule set needs at least one release");
        var duplicate = snapshots.GroupBy(s => s.Release.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"release '{duplicate.Key}' appears twice");
        var first = snapshots[0].Codes;
        if (snapshots.All(s => s.Codes.AsSpan().SequenceEqual(first)))
            return new RuleSet(new CodeIndex(first), [.. snapshots.Select(s => s.Release).OrderBy(r => r.EffectiveFrom)]);
        var union = snapshots.SelectMany(s => s.Codes).Distinct().ToArray();
        System.Array.Sort(union);
        var codes = new CodeIndex(union);
        var releases = snapshots.Select(s => Remap(s, codes)).OrderBy(r => r.EffectiveFrom).ToArray();
        return new RuleSet(codes, releases);
    }

    private static Release Remap(ReleaseSnapshot s, CodeIndex codes)
    {
        var map = new ushort[s.Codes.Length];
        for (var i = 0; i < map.Length; i++) map[i] = (ushort)codes.Find(HcpcsCode.FromPacked(s.Codes[i]));
        var n = codes.Count;
        var r = s.Release;
        var ptp = r.PtpTables.Select(p => p is null ? null : new PtpIndex(
            RemapOffsets(p.Offsets, map, n), RemapIds(p.Column2, map), p.Effective, p.Deletion, p.Meta, p.Rationales)).ToArray();
        var a = r.AddOns;
        var addOns = a is null ? null : new AddOnIndex(RemapOffsets(a.Offsets, map, n), RemapIds(a.Primary, map), a.Type,
            a.AddOnDeletion, a.PrimaryDeletion, a.EditEffective, a.EditDeletion, a.Notes);
        var mue = r.MueTables.Select(m =>
        {
            if (m is null) return null;
            var value = new int[n];
            System.Array.Fill(value, -1);
            var adjudication = new byte[n];
            var rationale = new byte[n];
            for (var i = 0; i < map.Length; i++)
            {
                value[map[i]] = m.Value[i];
                adjudication[map[i]] = m.Adjudication[i];
                rationale[map[i]] = m.Rationale[i];
            }
            return new MueIndex(value, adjudication, rationale, m.Rationales, m.RowCount);
        }).ToArray();
        return new Release(r.Id, r.EffectiveFrom, r.Components, ptp, addOns, mue);
    }

    private static int[] RemapOffsets(int[] offsets, ushort[] map, int n)
    {
        var result = new int[n + 1];
        for (var i = 0; i < map.Length; i++) result[map[i] + 1] = offsets[i + 1] - offsets[i];
        for (var i = 1; i < result.Length; i++) result[i] += result[i - 1];
        return result;
    }

    private static ushort[] RemapIds(ushort[] ids, ushort[] map)
    {
        var result = new ushort[ids.Length];
        for (var i = 0; i < ids.Length; i++) result[i] = ids[i] == CodeIndex.None ? CodeIndex.None : map[ids[i]];
        return result;
    }

    private static ReleaseSnapshot Parse(byte[] bytes, int start, string name)
    {
        var r = new SpanReader(bytes, start);
        var id = r.String();
        var effective = DateOnly.FromDayNumber(r.Int());
        var components = new ReleaseComponent[r.Count(1 << 10)];
        for (var i = 0; i < components.Length; i++)
            components[i] = new ReleaseComponent(r.String(), r.String(), r.Int(), DateOnly.FromDayNumber(r.Int()));
        var codes = r.Array<int>();
        if (codes.Length > CodeIndex.MaxCodes) throw new SnapshotException($"{name}: corrupt payload: {codes.Length} codes");
        for (var i = 1; i < codes.Length; i++)
            if (codes[i] <= codes[i - 1]) throw new SnapshotException($"{name}: corrupt payload: the code list is not sorted");
        var n = codes.Length;
        var ptp = new PtpIndex?[2];
        for (var t = 0; t < ptp.Length; t++)
        {
            if (!r.Bool()) continue;
            var offsets = Offsets(r.Array<int>(), n, name);
            var column2 = Ids(r.Array<ushort>(), n, offsets[^1], name, allowNone: false);
            ptp[t] = new PtpIndex(offsets, column2, Same(r.Array<ushort>(), column2.Length, name), Same(r.Array<ushort>(), column2.Length, name),
                Same(r.Array<byte>(), column2.Length, name), r.Strings());
            foreach (var meta in ptp[t]!.Meta)
                if ((meta >> 3) >= ptp[t]!.Rationales.Length) throw new SnapshotException($"{name}: corrupt payload: a PTP row names a missing rationale");
        }
        AddOnIndex? addOns = null;
        if (r.Bool())
        {
            var offsets = Offsets(r.Array<int>(), n, name);
            var primary = Ids(r.Array<ushort>(), n, offsets[^1], name, allowNone: true);
            var rows = primary.Length;
            var type = Same(r.Array<byte>(), rows, name);
            var aocDel = Same(r.Array<ushort>(), rows, name);
            var primDel = Same(r.Array<ushort>(), rows, name);
            var eff = Same(r.Array<ushort>(), rows, name);
            var del = Same(r.Array<ushort>(), rows, name);
            var notes = new string?[r.Count(rows)];
            if (notes.Length != rows) throw new SnapshotException($"{name}: corrupt payload: add-on notes do not match the rows");
            for (var i = 0; i < notes.Length; i++) notes[i] = r.Bool() ? string.Intern(r.String()) : null;
            addOns = new AddOnIndex(offsets, primary, type, aocDel, primDel, eff, del, notes);
        }
        var mue = new MueIndex?[3];
        for (var t = 0; t < mue.Length; t++)
        {
            if (!r.Bool()) continue;
            var value = Same(r.Array<int>(), n, name);
            var adjudication = Same(r.Array<byte>(), n, name);
            var rationale = Same(r.Array<byte>(), n, name);
            var rationales = r.Strings();
            for (var i = 0; i < n; i++)
                if (value[i] >= 0 && rationale[i] >= rationales.Length) throw new SnapshotException($"{name}: corrupt payload: an MUE names a missing rationale");
            mue[t] = new MueIndex(value, adjudication, rationale, rationales, r.Int());
        }
        if (!r.AtEnd) throw new SnapshotException($"{name}: corrupt payload: unexpected bytes at the end");
        return new ReleaseSnapshot(codes, new Release(id, effective, components, ptp, addOns, mue));
    }

    private static int[] Offsets(int[] offsets, int codes, string name)
    {
        if (offsets.Length != codes + 1 || offsets[0] != 0) throw new SnapshotException($"{name}: corrupt payload: offsets do not match the code list");
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] < offsets[i - 1]) throw new SnapshotException($"{name}: corrupt payload: offsets decrease");
        return offsets;
    }

    private static ushort[] Ids(ushort[] ids, int codes, int rows, string name, bool allowNone)
    {
        if (ids.Length != rows) throw new SnapshotException($"{name}: corrupt payload: {ids.Length} rows where the offsets say {rows}");
        var bad = ids.AsSpan().IndexOfAnyExceptInRange((ushort)0, (ushort)(codes - 1));
        while (bad >= 0)
        {
            if (!(allowNone && ids[bad] == CodeIndex.None)) throw new SnapshotException($"{name}: corrupt payload: a row names code id {ids[bad]} of {codes}");
            var next = ids.AsSpan(bad + 1).IndexOfAnyExceptInRange((ushort)0, (ushort)(codes - 1));
            bad = next < 0 ? -1 : bad + 1 + next;
        }
        return ids;
    }

    private static T[] Same<T>(T[] array, int length, string name)
        => array.Length == length ? array : throw new SnapshotException($"{name}: corrupt payload: an array has {array.Length} entries where {length} were expected");

    private static void Array<T>(BinaryWriter w, ReadOnlySpan<T> values) where T : unmanaged
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values));
    }

    private static void Strings(BinaryWriter w, string[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("rule snapshots are little-endian");
    }

    private ref struct SpanReader(byte[] bytes, int position)
    {
        private int _position = position;

        public readonly bool AtEnd => _position == bytes.Length;

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > bytes.Length - _position) throw new EndOfStreamException("the payload ends early");
            var span = bytes.AsSpan(_position, count);
            _position += count;
            return span;
        }

        public bool Bool() => Take(1)[0] switch { 0 => false, 1 => true, _ => throw new InvalidOperationException("bad flag byte") };
        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public int Count(int max)
        {
            var n = Int();
            return n < 0 || n > max ? throw new InvalidOperationException($"count {n} out of range") : n;
        }

        public string String()
        {
            // BinaryWriter's 7-bit encoded length prefix.
            int length = 0, shift = 0;
            byte b;
            do
            {
                if (shift > 28) throw new InvalidOperationException("bad string length");
                b = Take(1)[0];
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return Encoding.UTF8.GetString(Take(length));
        }

        public string[] Strings()
        {
            var result = new string[Count(1 << 16)];
            for (var i = 0; i < result.Length; i++) result[i] = string.Intern(String());
            return result;
        }

        public T[] Array<T>() where T : unmanaged
        {
            var n = Count(int.MaxValue / 8);
            var size = Marshal.SizeOf<T>();
            var source = Take(checked(n * size));
            var result = new T[n];
            source.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
            return result;
        }
    }
}
