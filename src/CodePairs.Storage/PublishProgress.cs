namespace CodePairs.Storage;

/// <summary>Where a publish is: the step, and the entities written so far of those planned so far (each table version
/// is planned when its turn comes). Reported on every transaction, on the writer's thread.</summary>
public sealed record PublishProgress(string Step, long EntitiesWritten, long EntitiesPlanned)
{
    public override string ToString() => Step;
}
