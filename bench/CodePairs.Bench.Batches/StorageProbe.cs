using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

/// <summary>
/// <c>-- storage-probe [--mib 256] [--runs 3]</c>: what the local Azurite itself can move on this machine, with no engine
/// work — one blob read start to end the way a chunk reads its input (one <c>OpenRead</c> stream, 4 MiB buffer), the
/// same blob read as 4 MiB ranges with several requests in flight, and an upload without and with a transactional MD5
/// on each block (the service's clients send one) — each with the wall time and the CPU
/// time the Azurite process spent (from <c>/proc</c>), so the storage share of a batch run can be told from the engine's.
/// </summary>
internal static class StorageProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var mib = Arg(args, "--mib", 256);
        var runs = Arg(args, "--runs", 3);
        var azurite = AzuritePid();
        var service = new BlobServiceClient("UseDevelopmentStorage=true");
        var container = service.GetBlobContainerClient("bench-probe-" + Guid.NewGuid().ToString("N")[..10]);
        await container.CreateIfNotExistsAsync();
        try
        {
            var data = new byte[(long)mib * 1024 * 1024];
            new Random(3).NextBytes(data);
            var blob = container.GetBlobClient("probe.bin");
            for (var run = 1; run <= runs; run++)
            {
                await Measure($"run {run} upload (4 concurrent 8 MiB blocks)", mib, azurite, () => blob.UploadAsync(new BinaryData(data), new BlobUploadOptions
                {
                    TransferOptions = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = 4, MaximumTransferSize = 8 * 1024 * 1024 },
                }));
                // The same upload with a transactional MD5 on each block (what the service's clients send:
                // StorageRetry.ConfigureUploads): Azurite checks it natively instead of computing a CRC-64 in JavaScript.
                var md5 = new BlobUploadOptions
                {
                    TransferOptions = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = 4, MaximumTransferSize = 8 * 1024 * 1024 },
                    TransferValidation = new Azure.Storage.UploadTransferValidationOptions { ChecksumAlgorithm = Azure.Storage.StorageChecksumAlgorithm.MD5 },
                };
                await Measure($"run {run} upload with Content-MD5 (4 concurrent 8 MiB blocks)", mib, azurite, () => blob.UploadAsync(new BinaryData(data), md5));
                await Measure($"run {run} read, one OpenRead stream, 4 MiB buffer", mib, azurite, async () =>
                {
                    await using var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(false) { BufferSize = 4 * 1024 * 1024 });
                    var buffer = new byte[1 << 20];
                    while (await stream.ReadAsync(buffer) > 0) { }
                });
                foreach (var inFlight in new[] { 2, 4 })
                    await Measure($"run {run} read, 4 MiB ranges, {inFlight} in flight", mib, azurite, () => blob.DownloadToAsync(Stream.Null, new BlobDownloadToOptions
                    {
                        TransferOptions = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = inFlight, MaximumTransferSize = 4 * 1024 * 1024, InitialTransferSize = 4 * 1024 * 1024 },
                    }));
            }
        }
        finally { await container.DeleteIfExistsAsync(); }
        return 0;
    }

    private static async Task Measure(string what, int mib, int? azurite, Func<Task> action)
    {
        var cpuBefore = AzuriteCpu(azurite);
        var ownBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await action();
        var wall = clock.Elapsed.TotalSeconds;
        var own = (Process.GetCurrentProcess().TotalProcessorTime - ownBefore).TotalSeconds;
        var cpu = AzuriteCpu(azurite) - cpuBefore;
        Console.WriteLine($"{what}: {mib} MiB in {wall:N2} s = {mib / wall:N0} MiB/s; Azurite CPU {cpu:N2} s ({mib / Math.Max(cpu, 0.001):N0} MiB per CPU-second), this process {own:N2} s");
    }

    /// <summary>The Azurite process this repository's script started (<c>.azurite/azurite.pid</c> is the npm shim's pid,
    /// so the node child doing the work is looked up among its descendants too).</summary>
    internal static int? AzuritePid()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmd.Contains("azurite", StringComparison.Ordinal) && cmd.Contains("node", StringComparison.Ordinal) && cmd.Contains("--blobHost", StringComparison.Ordinal)) return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        Console.WriteLine("no Azurite node process found: its CPU time is not reported");
        return null;
    }

    internal static double AzuriteCpu(int? pid)
    {
        if (pid is null) return 0;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime, in clock ticks of 1/100 s
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
