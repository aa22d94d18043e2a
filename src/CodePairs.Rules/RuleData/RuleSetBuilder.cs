namespace CodePairs.Rules;

/// <summary>Turns collected rows into the compact indexes of a <see cref="RuleSet"/>.</summary>
internal static class RuleSetBuilder
{
    public static RuleSet Build(ReleaseBuilder[] builders)
    {
        if (builders.Length == 0) throw new ArgumentException("a rule set needs at least one release");
        var duplicate = builders.GroupBy(b => b.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"release '{duplicate.Key}' appears twice");

        var codes = new CodeIndex(CollectCodes(builders));
        var releases = builders
            .OrderBy(b => b.EffectiveFrom)
            .Select(b => BuildRelease(b, codes))
            .ToArray();
        return new RuleSet(codes, releases);
    }

    private static int[] CollectCodes(ReleaseBuilder[] builders)
    {
        var set = new HashSet<int>();
        foreach (var b in builders)
        {
            foreach (var p in b.Ptp)
            {
                if (p is null) continue;
                foreach (var c in p.Column1Span) set.Add(c);
                foreach (var c in p.Column2Span) set.Add(c);
            }
            foreach (var m in b.Mue)
                if (m is not null) set.UnionWith(m.Rows.Keys);
            if (b.AddOns is not null)
                foreach (var a in b.AddOns)
                {
                    set.Add(a.AddOn.Packed);
                    if (!a.Primary.IsEmpty) set.Add(a.Primary.Packed);
                }
        }
        var codes = set.ToArray();
        Array.Sort(codes);
        return codes;
    }

    private static Release BuildRelease(ReleaseBuilder b, CodeIndex codes)
    {
        var components = new List<ReleaseComponent>();
        var ptp = new PtpIndex?[2];
        foreach (var rows in b.Ptp)
        {
            if (rows is null) continue;
            ptp[(int)rows.Table] = BuildPtp(rows, codes);
            components.Add(new ReleaseComponent(rows.Table.Name(), rows.Version, rows.Count, b.EffectiveFrom));
        }
        AddOnIndex? addOns = null;
        if (b.AddOns is not null)
        {
            addOns = BuildAddOns(b.AddOns, codes);
            components.Add(new ReleaseComponent(TableNames.AddOn, b.AddOnVersion ?? b.Id, b.AddOns.Count, b.AddOnEffective));
        }
        var mue = new MueIndex?[3];
        foreach (var rows in b.Mue)
        {
            if (rows is null) continue;
            mue[(int)rows.Table] = BuildMue(rows, codes);
            components.Add(new ReleaseComponent(rows.Table.Name(), rows.Version, rows.Count, rows.EffectiveFrom));
        }
        return new Release(b.Id, b.EffectiveFrom, components, ptp, addOns, mue);
    }

    private static PtpIndex BuildPtp(ReleaseBuilder.PtpRows rows, CodeIndex codes)
    {
        var n = rows.Count;
        var c1 = rows.Column1Span;
        var c2 = rows.Column2Span;
        // Sort by (column 1 id, column 2 id, original row) so a pair's rows stay adjacent and in file order.
        var keys = new ulong[n];
        int lastPacked = 0, lastId = 0; // CMS files come sorted by column 1: look each run's code up once
        for (var i = 0; i < n; i++)
        {
            if (c1[i] != lastPacked) (lastPacked, lastId) = (c1[i], codes.Find(HcpcsCode.FromPacked(c1[i])));
            keys[i] = ((ulong)(uint)lastId << 48)
                      | ((ulong)(uint)codes.Find(HcpcsCode.FromPacked(c2[i])) << 32)
                      | (uint)i;
        }
        Array.Sort(keys);

        var offsets = new int[codes.Count + 1];
        var column2 = new ushort[n];
        var effective = new ushort[n];
        var deletion = new ushort[n];
        var meta = new byte[n];
        for (var k = 0; k < n; k++)
        {
            var key = keys[k];
            var i = (int)(uint)key;
            offsets[(int)(key >> 48) + 1]++;
            column2[k] = (ushort)(key >> 32);
            effective[k] = rows.Effective[i];
            deletion[k] = rows.Deletion[i];
            meta[k] = rows.Meta[i];
        }
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        var rationales = new string[rows.Rationales.Count];
        foreach (var (text, index) in rows.Rationales) rationales[index] = text;
        return new PtpIndex(offsets, column2, effective, deletion, meta, rationales);
    }

    private static AddOnIndex BuildAddOns(List<AddOnRow> rows, CodeIndex codes)
    {
        var ordered = rows
            .Select((row, i) => (row, i, id: codes.Find(row.AddOn)))
            .OrderBy(x => x.id).ThenBy(x => x.i)
            .ToArray();
        var n = ordered.Length;
        var offsets = new int[codes.Count + 1];
        var primary = new ushort[n];
        var type = new byte[n];
        var aocDel = new ushort[n];
        var primDel = new ushort[n];
        var eff = new ushort[n];
        var del = new ushort[n];
        var notes = new string?[n];
        for (var k = 0; k < n; k++)
        {
            var (row, _, id) = ordered[k];
            offsets[id + 1]++;
            primary[k] = row.Primary.IsEmpty ? CodeIndex.None : (ushort)codes.Find(row.Primary);
            type[k] = (byte)row.Type;
            aocDel[k] = NcciDate.ToDay(row.AddOnDeletion);
            primDel[k] = NcciDate.ToDay(row.PrimaryDeletion);
            eff[k] = NcciDate.ToDay(row.EditEffective);
            del[k] = NcciDate.ToDay(row.EditDeletion);
            notes[k] = string.IsNullOrWhiteSpace(row.Notes) ? null : string.Intern(row.Notes);
        }
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        return new AddOnIndex(offsets, primary, type, aocDel, primDel, eff, del, notes);
    }

    private static MueIndex BuildMue(ReleaseBuilder.MueRows rows, CodeIndex codes)
    {
        var value = new int[codes.Count];
        Array.Fill(value, -1);
        var adjudication = new byte[codes.Count];
        var rationale = new byte[codes.Count];
        var vocabulary = new Dictionary<string, byte>(StringComparer.Ordinal);
        foreach (var row in rows.Rows.Values)
        {
            var id = codes.Find(row.Code);
            value[id] = row.Value;
            adjudication[id] = (byte)row.Adjudication;
            if (!vocabulary.TryGetValue(row.Rationale, out var r))
            {
                if (vocabulary.Count == 255) throw new ArgumentException($"the {rows.Table.Name()} table uses more than 255 distinct rationales");
                r = (byte)vocabulary.Count;
                vocabulary.Add(row.Rationale, r);
            }
            rationale[id] = r;
        }
        var rationales = new string[vocabulary.Count];
        foreach (var (text, index) in vocabulary) rationales[index] = text;
        return new MueIndex(value, adjudication, rationale, rationales, rows.Count);
    }
}
