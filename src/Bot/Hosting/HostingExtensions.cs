using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ChatOps.Bot.Hosting;

internal static class HostingExtensions
{
    /// <summary>
    /// Reads the embedded defaults from <c>appsettings/</c> beside the binary, under everything else
    /// (environment variables, command line, user secrets override them).
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = Path.Combine(AppContext.BaseDirectory, "appsettings");
        var files = new PhysicalFileProvider(directory);
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        sources.Insert(0, new JsonConfigurationSource { FileProvider = files, Path = "appsettings.json", Optional = false, ReloadOnChange = false });
        sources.Insert(1, new JsonConfigurationSource { FileProvider = files, Path = $"appsettings.{builder.Environment.EnvironmentName}.json", Optional = true, ReloadOnChange = false });
        return builder;
    }
}
