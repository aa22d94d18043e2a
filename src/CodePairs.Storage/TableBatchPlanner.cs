using Azure.Data.Tables;

namespace CodePairs.Storage;

/// <summary>One entity-group transaction: a single PartitionKey, at most 100 entities, at most 4 MiB of payload.</summary>
public sealed record TableBatch(string PartitionKey, IReadOnlyList<TableEntity> Entities, long EstimatedBytes);

/// <summary>
/// Azure Table Storage's write rules, enforced in our own code because Azurite does not enforce them all:
/// keys ≤ 1 KiB without <c>/ \ # ?</c> or control characters; a property ≤ 64 KiB; an entity ≤ 1 MiB and ≤ 252
/// custom properties; a transaction holds one PartitionKey, ≤ 100 entities, ≤ 4 MiB, and names each RowKey once.
/// Pure: no I/O, so every rule has a unit test.
/// </summary>
public static class TableBatchPlanner
{
    public const int MaxEntitiesPerTransaction = 100;
    public const long MaxTransactionBytes = 4L * 1024 * 1024;
    public const int MaxPropertyBytes = 64 * 1024;
    public const long MaxEntityBytes = 1024L * 1024;
    public const int MaxKeyBytes = 1024;
    public const int MaxCustomProperties = 252;

    // Headroom under the 4 MiB request limit for multipart boundaries and HTTP headers of each change set part.
    private const long TransactionBudget = MaxTransactionBytes - 64 * 1024;
    private const int PerEntityEnvelopeBytes = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming the key and the rule it breaks.</summary>
    public static void ValidateKey(string? key, string what)
    {
        if (key is null) throw new ArgumentException($"{what} is missing");
        // Keys are UTF-16 on the wire; counting two bytes a character stays inside 1 KiB whatever the service counts.
        if (key.Length * 2 > MaxKeyBytes)
            throw new ArgumentException($"{what} '{Shorten(key)}' is {key.Length} characters; keys are at most {MaxKeyBytes / 2} characters (1 KiB)");
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?')
                throw new ArgumentException($"{what} '{Shorten(key)}' contains '{c}'; Azure Table keys may not contain / \\ # or ?");
            if (char.IsControl(c))
                throw new ArgumentException($"{what} '{Shorten(key)}' contains control character U+{(int)c:X4}; Azure Table keys may not contain control characters");
        }
    }

    /// <summary>Checks keys, property sizes and the entity size; throws <see cref="ArgumentException"/> on the first breach.</summary>
    public static void ValidateEntity(TableEntity entity)
    {
        ValidateKey(entity.PartitionKey, "PartitionKey");
        ValidateKey(entity.RowKey, "RowKey");
        var custom = 0;
        foreach (var (name, value) in entity)
        {
            if (IsSystemProperty(name)) continue;
            custom++;
            var bytes = ValueBytes(value);
            if (bytes > MaxPropertyBytes)
                throw new ArgumentException($"entity ({entity.PartitionKey}, {entity.RowKey}): property '{name}' is {bytes:N0} bytes; a property holds at most {MaxPropertyBytes:N0} (split it with {nameof(SplitIntoProperties)})");
        }
        if (custom > MaxCustomProperties)
            throw new ArgumentException($"entity ({entity.PartitionKey}, {entity.RowKey}) has {custom} properties; at most {MaxCustomProperties}");
        var size = EntityBytes(entity);
        if (size > MaxEntityBytes)
            throw new ArgumentException($"entity ({entity.PartitionKey}, {entity.RowKey}) is {size:N0} bytes; an entity is at most {MaxEntityBytes:N0} (1 MiB)");
    }

    /// <summary>The entity's size as Azure counts it: 4 + 2·len(PK) + 2·len(RK) + Σ(8 + 2·len(name) + value bytes).</summary>
    public static long EntityBytes(TableEntity entity)
    {
        long size = 4 + 2L * (entity.PartitionKey?.Length ?? 0) + 2L * (entity.RowKey?.Length ?? 0);
        foreach (var (name, value) in entity)
            if (!IsSystemProperty(name)) size += 8 + 2L * name.Length + ValueBytes(value);
        return size;
    }

    /// <summary>A conservative estimate of the entity's share of a transaction request: JSON with base64 binaries,
    /// type annotations and a change-set envelope.</summary>
    public static long PayloadBytes(TableEntity entity)
    {
        long size = PerEntityEnvelopeBytes + 6L * ((entity.PartitionKey?.Length ?? 0) + (entity.RowKey?.Length ?? 0));
        foreach (var (name, value) in entity)
        {
            if (IsSystemProperty(name)) continue;
            size += 64 + 2L * name.Length; // "name":…, "name@odata.type":"Edm.Binary",
            size += value switch
            {
                byte[] b => (b.Length + 2) / 3 * 4,
                BinaryData d => (d.ToMemory().Length + 2) / 3 * 4,
                string s => 6L * s.Length, // worst case: every character escaped as \uXXXX
                _ => 40,
            };
        }
        return size;
    }

    /// <summary>Cuts a byte payload into properties <c>{prefix}0</c>, <c>{prefix}1</c>, … of at most
    /// <paramref name="chunkBytes"/> (≤ 64 KiB) each, cut at multiples of <paramref name="recordBytes"/> so no record straddles two.</summary>
    public static IReadOnlyList<KeyValuePair<string, byte[]>> SplitIntoProperties(ReadOnlySpan<byte> data, string prefix,
        int recordBytes = 1, int chunkBytes = MaxPropertyBytes)
    {
        if (recordBytes <= 0 || recordBytes > chunkBytes) throw new ArgumentOutOfRangeException(nameof(recordBytes));
        if (chunkBytes > MaxPropertyBytes) throw new ArgumentOutOfRangeException(nameof(chunkBytes), $"a property holds at most {MaxPropertyBytes} bytes");
        if (data.Length % recordBytes != 0) throw new ArgumentException($"{data.Length} bytes is not a whole number of {recordBytes}-byte records");
        var step = chunkBytes / recordBytes * recordBytes;
        var parts = new List<KeyValuePair<string, byte[]>>();
        for (int offset = 0, i = 0; offset < data.Length; offset += step, i++)
            parts.Add(new($"{prefix}{i}", data.Slice(offset, Math.Min(step, data.Length - offset)).ToArray()));
        return parts;
    }

    /// <summary>Validates every entity, groups them by PartitionKey (first-seen order) and cuts each group into transactions
    /// of ≤ 100 entities and ≤ 4 MiB. A RowKey repeated within a partition is refused (a transaction may name it once).</summary>
    public static IReadOnlyList<TableBatch> Plan(IEnumerable<TableEntity> entities)
    {
        var groups = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        var order = new List<string>();
        var seen = new HashSet<(string, string)>();
        foreach (var entity in entities)
        {
            ValidateEntity(entity);
            if (!seen.Add((entity.PartitionKey, entity.RowKey)))
                throw new ArgumentException($"entity ({entity.PartitionKey}, {entity.RowKey}) appears twice; each key may be written once per plan");
            if (!groups.TryGetValue(entity.PartitionKey, out var list))
            {
                groups.Add(entity.PartitionKey, list = []);
                order.Add(entity.PartitionKey);
            }
            list.Add(entity);
        }

        var batches = new List<TableBatch>();
        foreach (var pk in order)
        {
            var current = new List<TableEntity>();
            long bytes = 0;
            foreach (var entity in groups[pk])
            {
                var size = PayloadBytes(entity);
                if (size > TransactionBudget)
                    throw new ArgumentException($"entity ({entity.PartitionKey}, {entity.RowKey}) needs about {size:N0} bytes of request; a transaction is at most {MaxTransactionBytes:N0}");
                if (current.Count == MaxEntitiesPerTransaction || bytes + size > TransactionBudget)
                {
                    batches.Add(new TableBatch(pk, current, bytes));
                    current = [];
                    bytes = 0;
                }
                current.Add(entity);
                bytes += size;
            }
            if (current.Count > 0) batches.Add(new TableBatch(pk, current, bytes));
        }
        return batches;
    }

    private static bool IsSystemProperty(string name)
        => name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag";

    private static long ValueBytes(object? value) => value switch
    {
        null => 0,
        byte[] b => b.Length,
        BinaryData d => d.ToMemory().Length,
        string s => 2L * s.Length,
        Guid => 16,
        DateTime or DateTimeOffset or long or double or ulong => 8,
        int or bool or uint or float => 4,
        _ => 8,
    };

    private static string Shorten(string key)
    {
        var s = key.Length > 40 ? key[..40] + "…" : key;
        return string.Create(s.Length, s, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) ? '?' : src[i];
        });
    }
}
