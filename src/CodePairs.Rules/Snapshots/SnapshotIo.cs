using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CodePairs.Rules.Snapshots;

/// <summary>Writes snapshot sections: little-endian scalars, length-prefixed arrays copied as raw bytes, and strings.</summary>
internal sealed class SnapshotWriter(Stream output) : IDisposable
{
    private readonly BinaryWriter _w = new(output, Encoding.UTF8, leaveOpen: true);

    public void Bool(bool value) => _w.Write(value);
    public void Byte(byte value) => _w.Write(value);
    public void Int(int value) => _w.Write(value);
    public void String(string value) => _w.Write(value);

    public void OptionalString(string? value)
    {
        _w.Write(value is not null);
        if (value is not null) _w.Write(value);
    }

    public void Array<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        _w.Write(values.Length);
        _w.Write(MemoryMarshal.AsBytes(values));
    }

    public void Strings(IReadOnlyList<string> values)
    {
        _w.Write(values.Count);
        foreach (var v in values) _w.Write(v);
    }

    public void Dispose() => _w.Dispose();
}

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote, over a buffer already checked for length and hash; any
/// inconsistency throws <see cref="SnapshotException"/>.</summary>
internal ref struct SnapshotReader(byte[] bytes, int position, string name)
{
    private int _position = position;

    public readonly string Name => name;
    public readonly bool AtEnd => _position == bytes.Length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > bytes.Length - _position) throw Corrupt("the payload ends early");
        var span = bytes.AsSpan(_position, count);
        _position += count;
        return span;
    }

    public bool Bool() => Take(1)[0] switch { 0 => false, 1 => true, _ => throw Corrupt("bad flag byte") };
    public byte Byte() => Take(1)[0];
    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public int Count(int max)
    {
        var n = Int();
        return n < 0 || n > max ? throw Corrupt($"count {n} out of range") : n;
    }

    public string String()
    {
        // BinaryWriter's 7-bit encoded length prefix.
        int length = 0, shift = 0;
        byte b;
        do
        {
            if (shift > 28) throw Corrupt("bad string length");
            b = Take(1)[0];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        try
        {
            return Encoding.UTF8.GetString(Take(length));
        }
        catch (ArgumentException e)
        {
            throw Corrupt($"bad string: {e.Message}");
        }
    }

    public string? OptionalString() => Bool() ? String() : null;

    public string[] Strings(int max = 1 << 16)
    {
        var result = new string[Count(max)];
        for (var i = 0; i < result.Length; i++) result[i] = string.Intern(String());
        return result;
    }

    public T[] Array<T>() where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        var n = Count((bytes.Length - _position) / size);
        var source = Take(n * size);
        var result = new T[n];
        source.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>An array that must have exactly <paramref name="length"/> entries.</summary>
    public T[] Array<T>(int length) where T : unmanaged
    {
        var a = Array<T>();
        return a.Length == length ? a : throw Corrupt($"an array has {a.Length} entries where {length} were expected");
    }

    public readonly SnapshotException Corrupt(string what) => new($"{name}: corrupt payload: {what}");
}
