namespace ChatOps.Integrations.Storage.Notifications;

/// <summary>
/// What to wake when another replica commits a change notified on <paramref name="Channel"/> (a queue's signal, the web
/// chat's tail). Registered with <see cref="StoreNotificationsServiceCollectionExtensions.AddStoreWakeup"/>.
/// </summary>
public sealed record StoreWakeup(string Channel, Action Wake);
