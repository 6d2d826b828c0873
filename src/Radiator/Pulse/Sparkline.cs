using System.Globalization;

namespace ChatOps.Radiator.Pulse;

/// <summary>
/// Draws a KPI's recent windows as a bar chart PNG that reads at the size chats show it (about 400 px
/// wide): zero is no bar, a missing window is a dotted baseline, the value axis is labelled with its
/// top and bottom, and the time axis with how far back it goes.
/// </summary>
internal static class Sparkline
{
    public const int Width = 400;
    public const int Height = 120;

    /// <summary>Labels are drawn at twice the font's size, so a 400 px picture stays legible.</summary>
    internal const int Scale = 2;

    /// <summary>The row of the baseline (the axis's bottom value); bars stand on it, above it.</summary>
    internal const int BaselineY = 90;

    /// <summary>The top of the plot: the tallest bar reaches it.</summary>
    internal const int PlotTop = 12;

    /// <summary>The plot's left edge; the value labels sit to its left.</summary>
    internal const int PlotLeft = 84;

    internal const int PlotRight = Width - 8;

    internal static readonly Rgb Background = new(0xFF, 0xFF, 0xFF);
    internal static readonly Rgb Bar = new(0x4A, 0x90, 0xD9);
    internal static readonly Rgb Last = new(0x1F, 0x4E, 0x8C);
    internal static readonly Rgb Axis = new(0x8A, 0x8A, 0x8A);
    internal static readonly Rgb Grid = new(0xE4, 0xE4, 0xE4);
    internal static readonly Rgb Ink = new(0x33, 0x33, 0x33);

    private const int Advance = (PixelFont.GlyphWidth + 1) * Scale;

    /// <summary>The height of a line of capitals and digits, without what hangs below it.</summary>
    private const int LineHeight = 7 * Scale;

    /// <summary>One bar per window, oldest first; a missing value (null) is drawn as missing, never as zero.</summary>
    /// <param name="values">The windows' values, the newest last.</param>
    /// <param name="window">How long each window is, for the time axis's label.</param>
    public static byte[] Render(IReadOnlyList<double?> values, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(values);
        var pixels = new Rgb[Width * Height];
        Array.Fill(pixels, Background);
        var present = values.OfType<double>().ToList();
        // Bars start at zero (or below it, for negative values), so their heights compare honestly.
        var bottom = present.Count == 0 ? 0 : Math.Min(0, present.Min());
        var top = present.Count == 0 ? 0 : Math.Max(0, present.Max());
        if (top > bottom)
        {
            Fill(pixels, PlotLeft, PlotTop, PlotRight, PlotTop + 1, Grid);
            Text(pixels, Label(top), PlotLeft - 8, PlotTop - (LineHeight / 2), alignRight: true);
        }

        Text(pixels, Label(bottom), PlotLeft - 8, BaselineY - (LineHeight / 2), alignRight: true);
        Text(pixels, Ago(window * values.Count), PlotLeft, BaselineY + 10, alignRight: false);
        Text(pixels, "now", PlotRight, BaselineY + 10, alignRight: true);
        if (present.Count == 0)
        {
            Text(pixels, "no data", (PlotLeft + PlotRight + (7 * Advance)) / 2, ((PlotTop + BaselineY) / 2) - (LineHeight / 2), alignRight: true);
        }

        for (var i = 0; i < values.Count; i++)
        {
            var (left, right) = Slot(i, values.Count);
            var next = i == values.Count - 1 ? PlotRight : Slot(i + 1, values.Count).Left;
            if (values[i] is not { } value)
            {
                // Missing: a dotted baseline and no bar, so an unknown window never passes for a zero one.
                for (var x = left; x < next; x += 5)
                {
                    Fill(pixels, x, BaselineY, Math.Min(x + 2, next), BaselineY + 1, Axis);
                }

                continue;
            }

            // Known: a solid baseline through the slot and its gap, so a run of zeros reads as one unbroken line.
            Fill(pixels, left, BaselineY, next, BaselineY + 2, Axis);
            var height = BarHeight(value, bottom, top);
            Fill(pixels, left, BaselineY - height, right, BaselineY, i == values.Count - 1 ? Last : Bar);
        }

        return PngEncoder.Encode(pixels, Width, Height);
    }

    /// <summary>The columns [left, right) of bar <paramref name="index"/> of <paramref name="count"/>, with a gap after it.</summary>
    internal static (int Left, int Right) Slot(int index, int count)
    {
        var slot = (double)(PlotRight - PlotLeft) / Math.Max(1, count);
        var left = PlotLeft + (int)Math.Round(index * slot);
        var right = PlotLeft + (int)Math.Round((index + 1) * slot);
        var gap = Math.Max(1, (right - left) / 5);
        return (left, right - gap);
    }

    /// <summary>Zero height for the axis's bottom value, the full plot for its top; at least a pixel for anything above the bottom.</summary>
    private static int BarHeight(double value, double bottom, double top)
    {
        if (top <= bottom || value <= bottom)
        {
            return 0;
        }

        return Math.Max(1, (int)Math.Round((value - bottom) / (top - bottom) * (BaselineY - PlotTop)));
    }

    /// <summary>"12.4k", "950", "0.25": short enough for the axis.</summary>
    internal static string Label(double value)
    {
        var abs = Math.Abs(value);
        var (scaled, suffix) = abs switch
        {
            >= 1e12 => (value / 1e12, "T"),
            >= 1e9 => (value / 1e9, "B"),
            >= 1e6 => (value / 1e6, "M"),
            >= 1e4 => (value / 1e3, "k"),
            _ => (value, ""),
        };
        var format = suffix.Length > 0 ? "0.#" : abs >= 100 || value == Math.Floor(value) ? "#,0" : "0.##";
        return scaled.ToString(format, CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>"1 h ago", "45 min ago", "2 d ago": where the time axis begins.</summary>
    internal static string Ago(TimeSpan span) => span switch
    {
        _ when span >= TimeSpan.FromDays(2) && span.Ticks % TimeSpan.TicksPerDay == 0 => $"{span.TotalDays:0} d ago",
        _ when span >= TimeSpan.FromHours(1) && span.Ticks % TimeSpan.TicksPerHour == 0 => $"{span.TotalHours:0} h ago",
        _ => $"{span.TotalMinutes:0} min ago",
    };

    private static void Text(Rgb[] pixels, string text, int x, int y, bool alignRight)
    {
        var left = alignRight ? x - (text.Length * Advance) + Scale : x;
        for (var i = 0; i < text.Length; i++)
        {
            for (var gy = 0; gy < PixelFont.GlyphHeight; gy++)
            {
                for (var gx = 0; gx < PixelFont.GlyphWidth; gx++)
                {
                    if (PixelFont.Ink(text[i], gx, gy))
                    {
                        var px = left + (i * Advance) + (gx * Scale);
                        Fill(pixels, px, y + (gy * Scale), px + Scale, y + ((gy + 1) * Scale), Ink);
                    }
                }
            }
        }
    }

    /// <summary>Paints [x0, x1) × [y0, y1), clipped to the picture.</summary>
    private static void Fill(Rgb[] pixels, int x0, int y0, int x1, int y1, Rgb color)
    {
        for (var y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
            {
                pixels[(y * Width) + x] = color;
            }
        }
    }
}
