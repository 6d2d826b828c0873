using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ChatOps.Bot.Hosting;

internal static class HostingExtensions
{
    /// <summary>
    /// Reads the embedded defaults from <c>appsettings/</c> beside the binary, under everything else
    /// (environment variables, command line, user secrets override them), and has the settings files of the content
    /// root polled for changes (<see cref="PollSettingsFiles"/>).
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = Path.Combine(AppContext.BaseDirectory, "appsettings");
        var files = new PhysicalFileProvider(directory);
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        sources.Insert(0, new JsonConfigurationSource { FileProvider = files, Path = "appsettings.json", Optional = false, ReloadOnChange = false });
        sources.Insert(1, new JsonConfigurationSource { FileProvider = files, Path = $"appsettings.{builder.Environment.EnvironmentName}.json", Optional = true, ReloadOnChange = false });
        PollSettingsFiles(sources);
        return builder;
    }

    /// <summary>
    /// The content root's <c>appsettings.json</c> (and its environment's file) are still read again when they change,
    /// so roles and secrets change without a restart, but are looked at every few seconds instead of watched. The
    /// host's watcher follows the whole content root, subfolders included: the database and the nodes' files under
    /// <c>data/</c> woke it at every write, and it looked each of them up on disk, about 7% of the process's time under
    /// load. Polling asks about those two files alone.
    /// </summary>
    private static void PollSettingsFiles(IList<IConfigurationSource> sources)
    {
        var replaced = new HashSet<PhysicalFileProvider>();
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is not JsonConfigurationSource { ReloadOnChange: true, FileProvider: PhysicalFileProvider watched, Path: { } path } json)
            {
                continue;
            }

            var polled = new PhysicalFileProvider(watched.Root) { UsePollingFileWatcher = true, UseActivePolling = true };
            sources[i] = new JsonConfigurationSource
            {
                FileProvider = polled,
                Path = path,
                Optional = json.Optional,
                ReloadOnChange = true,
                ReloadDelay = json.ReloadDelay,
                OnLoadException = json.OnLoadException,
            };
            replaced.Add(watched);
        }

        // The host's own providers for these files: nothing else watches through them, and disposing one stops its
        // watcher. Only once every source is replaced, since replacing one builds them all again.
        foreach (var provider in replaced)
        {
            provider.Dispose();
        }
    }
}
