using ChatOps.Bot;
using ChatOps.Bot.Hosting;

if (NodeHost.Matches(args))
{
    return await NodeHost.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddEmbeddedDefaults();
builder.Services.AddBot(builder.Configuration);
var app = builder.Build();
if (CliVerbs.Matches(args))
{
    return await CliVerbs.RunAsync(app, args);
}

app.MapBot();
return await app.RunCheckedAsync();
