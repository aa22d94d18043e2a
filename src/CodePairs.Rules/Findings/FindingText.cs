namespace CodePairs.Rules;

/// <summary>How a kind of finding words itself from its own fields: one stateless instance per rule, so a finding
/// carries no closure or delegate until (and unless) its words are read.</summary>
internal abstract class FindingText
{
    public abstract string Message(Finding finding);
    public abstract Fix Fix(Finding finding);
}
