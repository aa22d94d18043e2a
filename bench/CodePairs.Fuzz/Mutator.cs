namespace CodePairs.Fuzz;

/// <summary>Byte-level mutations of an input, one to four at a time; sizes stay under 1 MiB.</summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0, 0xFF, 0x7F, 0x80, (byte)'\n', (byte)'\r', (byte)'\t', (byte)'"', (byte)',', (byte)'*', (byte)'{', (byte)'}',
        (byte)'[', (byte)']', (byte)':', (byte)'<', (byte)'>', (byte)'/', (byte)'0', (byte)'9', (byte)'-', (byte)'A', (byte)'Z', (byte)'\\'];

    public static byte[] Mutate(Random random, byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        var n = 1 + random.Next(4);
        for (var k = 0; k < n; k++)
        {
            if (data.Count == 0) { data.Add(Interesting[random.Next(Interesting.Length)]); continue; }
            var at = random.Next(data.Count);
            switch (random.Next(9))
            {
                case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: data[at] = Interesting[random.Next(Interesting.Length)]; break;
                case 2: data[at] = (byte)random.Next(256); break;
                case 3: data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256))); break;
                case 4: data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16))); break;
                case 5:
                {
                    var len = Math.Min(data.Count - at, 1 + random.Next(64));
                    var copies = 1 + random.Next(random.Next(10) == 0 ? 200 : 3);
                    var chunk = data.GetRange(at, len);
                    for (var c = 0; c < copies && data.Count < (1 << 20); c++) data.InsertRange(at, chunk);
                    break;
                }
                case 6: data.RemoveRange(at, data.Count - at); break;
                case 7:
                {
                    if (other.Length == 0) break;
                    var from = random.Next(other.Length);
                    var len = Math.Min(other.Length - from, 1 + random.Next(128));
                    data.InsertRange(at, other.AsSpan(from, len).ToArray());
                    break;
                }
                default:
                {
                    var b = random.Next(data.Count);
                    var len = Math.Min(Math.Min(data.Count - at, data.Count - b), 1 + random.Next(32));
                    for (var i = 0; i < len; i++) (data[at + i], data[b + i]) = (data[b + i], data[at + i]);
                    break;
                }
            }
        }
        return data.ToArray();
    }
}
