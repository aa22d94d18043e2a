using System.Text;
using CodePairs.Rules.Batch;

namespace CodePairs.Rules.Tests.X12;

/// <summary>The hand-written 837 samples (X12/Samples) and helpers to read and check them.</summary>
internal static class X12Samples
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "X12", "Samples", name));

    public static string Text(string name) => Encoding.ASCII.GetString(Bytes(name));

    public static List<BatchItem> Read(string text, BatchSlice? slice = null)
        => new BatchReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), BatchFormat.X12, Setting.Practitioner, slice).Read().ToList();

    /// <summary>Checks a file the way the batch door does: results and rejected rows in separate writers.</summary>
    public static (string Results, string Rejected, BatchSummary Summary) Check(string text, bool includeInfo = true)
    {
        var results = new StringWriter();
        var rejected = new StringWriter();
        var reader = new BatchReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), BatchFormat.X12);
        var summary = BatchCheck.Run(reader, TestRules.Validator(), results, rejected, includeInfo);
        return (results.ToString(), rejected.ToString(), summary);
    }

    public static string[] Rows(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}
