namespace CodePairs.Rules;

/// <summary>Custom rule packs: each rule in force on the line's date (the pack's window, then the rule's own).</summary>
internal sealed class PackCheck(RulePack[] packs) : IClaimCheck
{
    public void Check(ref ClaimContext c)
    {
        var claim = c.Claim;
        var lines = claim.Lines;
        var n = lines.Count;
        foreach (var pack in packs)
        {
            for (var i = 0; i < n; i++)
            {
                var dos = NcciDate.FromDay(c.Days[i]);
                if (!pack.AppliesTo(claim.Setting, dos)) continue;
                var rules = pack.Rules;
                for (var r = 0; r < rules.Count; r++) // indexed: an interface foreach would allocate an enumerator per line
                {
                    var rule = rules[r];
                    if (rule.Code != lines[i].Code || !rule.InForce(dos)) continue;
                    switch (rule)
                    {
                        case PackAddOnRule addOn:
                            var satisfied = false;
                            for (var j = 0; j < n && !satisfied; j++)
                                satisfied = j != i && c.Days[j] == c.Days[i] && addOn.PrimarySet.Contains(lines[j].Code);
                            if (!satisfied) c.Report.Add(Explain.PackAddOn(claim, i, addOn, pack));
                            break;
                        case PackNotWithRule notWith:
                            for (var j = 0; j < n; j++)
                                if (j != i && c.Days[j] == c.Days[i] && notWith.CodeSet.Contains(lines[j].Code))
                                    c.Report.Add(Explain.PackNotWith(claim, i, j, notWith, pack));
                            break;
                    }
                }
            }
        }
    }
}
