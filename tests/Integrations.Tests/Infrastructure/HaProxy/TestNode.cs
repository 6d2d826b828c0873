using ChatOps.TestCommon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOps.Integrations.Tests.Infrastructure.HaProxy;

/// <summary>A tiny loopback HTTP server standing in for a node: it answers every request with its name.</summary>
internal sealed class TestNode(string name, LoopbackPeer loopback) : IAsyncDisposable
{
    public string Name { get; } = name;

    public Uri Url => loopback.Root;

    public static async Task<TestNode> StartAsync(string name) =>
        new(name, await LoopbackPeer.StartAsync(app => app.Run(context => context.Response.WriteAsync(name)), TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => loopback.DisposeAsync();
}
