using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>
/// The drop container: operators upload the CMS zips, as downloaded, under <c>rules-incoming/&lt;folder&gt;/</c> and
/// then write an empty blob named <c>ready</c> in the folder. Only folders with the marker are picked up, so a
/// half-uploaded release is never read. (The marker is explicit; the manifest check after parsing still rejects a
/// folder that lacks a table.) A release's files sit directly in its folder; blobs in subfolders are listed as
/// <see cref="IncomingRelease.Nested"/> so that the refresh can fail the drop for them instead of loading it without them.
/// </summary>
public sealed class DropContainerSource(BlobServiceClient blobs, string containerName = StorageNames.IncomingContainer) : IDropSource
{
    public const string ReadyMarker = "ready";

    /// <summary>The shape of a drop folder's name (what an admin start may name): 1-63 letters, digits, '-', '_' or '.',
    /// never '.' or '..'.</summary>
    public static bool IsFolderName(string? name)
        => name is { Length: > 0 and <= 63 } && name is not ("." or "..") && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public string ContainerName => containerName;

    public async Task<IReadOnlyList<IncomingRelease>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(containerName);
        if (!await container.ExistsAsync(cancellationToken)) return [];
        var releases = new List<IncomingRelease>();
        await foreach (var folder in container.GetBlobsByHierarchyAsync(BlobTraits.Metadata, BlobStates.None, "/", prefix: null, cancellationToken))
        {
            if (!folder.IsPrefix) continue;
            var files = new List<IncomingFile>();
            var nested = new List<string>();
            var ready = false;
            await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, folder.Prefix, cancellationToken))
            {
                var name = item.Name[folder.Prefix.Length..];
                if (name == ReadyMarker) { ready = true; continue; }
                if (name.Contains('/')) { nested.Add(name); continue; } // one level: the files of the release; the rest is reported
                files.Add(new IncomingFile(name, containerName, item.Name, item.Properties.ContentLength ?? 0,
                    item.Metadata.TryGetValue("sha256", out var sha) ? sha : null));
            }
            if (ready && (files.Count > 0 || nested.Count > 0))
                releases.Add(new IncomingRelease(folder.Prefix.TrimEnd('/'), "drop", files) { Nested = nested });
        }
        return releases;
    }
}

/// <summary>
/// The URL list: downloads every configured file with HttpClient (resilience: timeouts, retries with backoff on
/// 408/429/5xx) into the raw archive, <c>rules-archive/&lt;sha256&gt;/&lt;file name&gt;</c>, hashing as it streams and
/// refusing anything over the size cap. The archive keeps every file ever fetched, so a release can be rebuilt and
/// audited; the same bytes are stored once. <paramref name="httpClient"/> gives the client of each download (the
/// host's named client <see cref="HttpClientName"/>, with its resilience pipeline).
/// </summary>
public sealed class UrlSource(Func<HttpClient> httpClient, BlobServiceClient blobs, long maxDownloadBytes) : IUrlSource
{
    public const string HttpClientName = "cms-downloads";

    public async Task<IncomingRelease?> DiscoverAsync(IReadOnlyList<Uri> urls, CancellationToken cancellationToken)
    {
        if (urls.Count == 0) return null;
        var archive = blobs.GetBlobContainerClient(StorageNames.ArchiveContainer);
        await archive.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var files = new List<IncomingFile>();
        foreach (var url in urls) files.Add(await DownloadAsync(url, archive, cancellationToken));
        // The candidate's name comes from its content: the same files give the same name, so re-runs change nothing.
        var name = "url-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', files.Select(f => f.Name + ":" + f.Sha256)))))[..16];
        return new IncomingRelease(name, "url", files);
    }

    private async Task<IncomingFile> DownloadAsync(Uri url, BlobContainerClient archive, CancellationToken cancellationToken)
    {
        var cap = maxDownloadBytes;
        var fileName = Path.GetFileName(url.AbsolutePath);
        if (string.IsNullOrEmpty(fileName)) throw new ReleaseSourceException($"URL {url} names no file");
        var client = httpClient();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new ReleaseSourceException($"download of {fileName} failed: HTTP {(int)response.StatusCode} after retries");
        if (response.Content.Headers.ContentLength > cap)
            throw new ReleaseSourceException($"download of {fileName} is {response.Content.Headers.ContentLength} bytes, over the cap of {cap}");

        // Stream to a staging blob while hashing and counting; promote it under its hash when complete.
        var staging = archive.GetBlobClient($"staging/{Guid.NewGuid():N}/{fileName}");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size;
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var capped = new CappedHashingStream(body, cap, sha, fileName))
        {
            // Overwrite (the name is this download's own): a retry after a lost response must not meet a 409.
            await staging.UploadAsync(capped, new BlobUploadOptions { TransferOptions = StorageRetry.Transfer }, cancellationToken);
            size = capped.BytesRead;
        }
        var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        var final = archive.GetBlobClient($"{hash}/{fileName}");
        try
        {
            if (!await final.ExistsAsync(cancellationToken))
            {
                var copy = await final.StartCopyFromUriAsync(staging.Uri, cancellationToken: cancellationToken);
                await copy.WaitForCompletionAsync(cancellationToken);
                await final.SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = hash, ["source"] = url.GetLeftPart(UriPartial.Path) },
                    cancellationToken: cancellationToken);
            }
        }
        finally
        {
            await staging.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
        return new IncomingFile(fileName, StorageNames.ArchiveContainer, final.Name, size, hash);
    }

    /// <summary>Passes bytes through, hashing them, and fails once more than the cap has been read.</summary>
    private sealed class CappedHashingStream(Stream inner, long cap, IncrementalHash hash, string fileName) : ReadOnlyStream
    {
        public long BytesRead { get; private set; }
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            return Account(buffer[..n]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            return Account(buffer.Span[..n]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Account(ReadOnlySpan<byte> data)
        {
            BytesRead += data.Length;
            if (BytesRead > cap) throw new ReleaseSourceException($"download of {fileName} exceeds the cap of {cap} bytes");
            hash.AppendData(data);
            return data.Length;
        }
    }
}
