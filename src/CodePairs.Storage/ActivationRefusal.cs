namespace CodePairs.Storage;

/// <summary>Why an activation was refused; <see cref="None"/> when it happened.</summary>
public enum ActivationRefusal { None, NotFound, NotActivatable, PointerMoved }
