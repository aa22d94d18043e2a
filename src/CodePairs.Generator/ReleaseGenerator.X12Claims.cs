using System.Globalization;

namespace CodePairs.Rules.Generation;

public sealed partial class ReleaseGenerator
{
    /// <summary>
    /// Writes an ASC X12 837P (005010X222A1) or 837I (005010X223A2) file of about <paramref name="serviceLines"/> service
    /// lines over the release's PTP codes: one interchange and functional group, transaction sets of
    /// <paramref name="claimsPerTransaction"/> claims with billing provider, subscriber and payer loops (obviously fake
    /// names and ids), claims of 1-6 lines with modifiers on some, a date range (RD8) on about one line in twenty, a
    /// non-HC line (837P: ER; 837I: a revenue code alone) on about one in fifty, and a broken code on about one in
    /// three thousand (its claim is rejected). Envelope counts are right, so a reader reports no envelope problem.
    /// </summary>
    public void WriteClaims837(Stream output, int serviceLines, int seed = 1, bool institutional = false, int claimsPerTransaction = 2_000,
        bool lineBreaks = true)
    {
        var random = new Random(SubSeed(seed * 31 + 837));
        using var w = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        var end = lineBreaks ? "~\n" : "~";
        var dos = _o.EffectiveFrom.AddDays(20);
        string D8(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        string[] modifiers = ["", "", "", "", "", "", ":59", ":XU", ":LT", ":RT", ":25", ":76", ":59:LT"];
        var version = institutional ? "005010X223A2" : "005010X222A1";
        w.Write($"ISA*00*          *00*          *ZZ*FAKESUBMITTER  *ZZ*FAKERECEIVER   *{D8(dos)[2..]}*1200*^*00501*000000001*0*T*:{end}");
        w.Write($"GS*HC*FAKESUBMITTER*FAKERECEIVER*{D8(dos)}*1200*1*X*{version}{end}");
        int written = 0, claim = 0, transactions = 0;
        while (written < serviceLines)
        {
            transactions++;
            var segments = 0;
            void Segment(string text) { w.Write(text); w.Write(end); segments++; }
            Segment($"ST*837*{transactions:D4}*{version}");
            Segment($"BHT*0019*00*FAKEBATCH{transactions}*{D8(dos)}*1200*CH");
            Segment("NM1*41*2*FAKE SUBMITTER*****46*FAKESUB01");
            Segment("PER*IC*FAKE CONTACT*TE*5555550100");
            Segment("NM1*40*2*FAKE RECEIVER*****46*FAKEREC01");
            Segment("HL*1**20*1");
            Segment($"NM1*85*2*FAKE {(institutional ? "HOSPITAL" : "CLINIC")}*****XX*1999999984");
            Segment("N3*1 FAKE STREET");
            Segment("N4*FAKETOWN*ZZ*999990000");
            Segment("REF*EI*999999999");
            var hl = 1;
            for (var c = 0; c < claimsPerTransaction && written < serviceLines; c++)
            {
                claim++;
                Segment($"HL*{++hl}*1*22*0");
                Segment("SBR*P*18*FAKEGROUP******CI");
                Segment($"NM1*IL*1*FAKEPATIENT*NUMBER{claim}****MI*FAKEMBR{claim:D8}");
                Segment("DMG*D8*19700101*U");
                Segment("NM1*PR*2*FAKE PAYER*****PI*FAKEPAYER");
                var n = Math.Min(serviceLines - written, 1 + random.Next(6));
                Segment(institutional ? $"CLM*G{claim}*{n * 100}.00***13:A:1**A*Y*Y" : $"CLM*G{claim}*{n * 100}.00***11:B:1*Y*A*Y*Y");
                if (institutional) Segment($"DTP*434*RD8*{D8(dos)}-{D8(dos)}");
                Segment("HI*ABK:R69");
                for (var i = 0; i < n; i++)
                {
                    var code = _ptpCodes[random.Next(_ptpCodes.Length)].ToString();
                    if (random.Next(3000) == 0) code = code[..4];
                    var units = random.NextDouble() < 0.9 ? 1 : random.Next(2, 10);
                    var mods = modifiers[random.Next(modifiers.Length)];
                    var other = random.Next(50) == 0;
                    Segment($"LX*{i + 1}");
                    if (institutional)
                        Segment(other ? $"SV2*0250**10.00*UN*{units}" : $"SV2*0450*HC:{code}{mods}*100.00*UN*{units}");
                    else
                        Segment(other ? $"SV1*ER:X{random.Next(1000, 9999)}*10.00*UN*{units}***1" : $"SV1*HC:{code}{mods}*100.00*UN*{units}***1");
                    Segment(random.Next(20) == 0 ? $"DTP*472*RD8*{D8(dos)}-{D8(dos.AddDays(1 + random.Next(3)))}" : $"DTP*472*D8*{D8(dos)}");
                }
                written += n;
            }
            Segment($"SE*{segments + 1}*{transactions:D4}");
        }
        w.Write($"GE*{transactions}*1{end}");
        w.Write($"IEA*1*000000001{end}");
    }
}
