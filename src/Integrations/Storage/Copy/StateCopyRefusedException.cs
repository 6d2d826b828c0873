namespace ChatOps.Integrations.Storage.Copy;

/// <summary>
/// A copy that did not happen, and why, in words an operator can act on: the source in use or at another schema version,
/// a target that already holds state, a row the target cannot take. Nothing was kept on the target.
/// </summary>
public sealed class StateCopyRefusedException(string message, Exception? inner = null) : Exception(message, inner);
