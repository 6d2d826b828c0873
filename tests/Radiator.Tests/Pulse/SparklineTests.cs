using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using ChatOps.Radiator.Pulse;

namespace ChatOps.Radiator.Tests.Pulse;

public sealed class SparklineTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(new double[] { 1, 5, 3, 8, 2, 9 })]
    [InlineData(new double[] { 4, 4, 4 })]
    [InlineData(new double[] { })]
    public void Render_Series_IsAValidPng(double[] values)
    {
        var png = Sparkline.Render([.. values.Select(v => (double?)v)], FiveMinutes);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = ReadChunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal(13, ihdr.Length);
        Assert.Equal(Sparkline.Width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(Sparkline.Height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal([8, 2, 0, 0, 0], ihdr[8..]);
        Assert.Equal(Sparkline.Height * ((Sparkline.Width * 3) + 1), Inflate(chunks[1].Data).Length);
    }

    [Fact]
    public void Render_Always_IsWideEnoughToReadInAChat() =>
        Assert.InRange(Sparkline.Width, 380, 440);

    [Fact]
    public void Render_AllZero_DrawsNoBarsOnlyASolidBaseline()
    {
        var picture = Picture.Of([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(0, picture.BarHeight(i, 12));
            Assert.True(picture.BaselineIsSolid(i, 12), $"window {i} is a known zero: its baseline is solid");
        }
    }

    [Fact]
    public void Render_MissingWindows_DrawNoBarAndADottedBaseline()
    {
        var picture = Picture.Of([null, null, null, null, null, null, null, null, null, null, null, 40]);

        for (var i = 0; i < 11; i++)
        {
            Assert.Equal(0, picture.BarHeight(i, 12));
            Assert.True(picture.BaselineIsDotted(i, 12), $"window {i} is missing: its baseline is dotted");
        }

        Assert.Equal(Sparkline.BaselineY - Sparkline.PlotTop, picture.BarHeight(11, 12));
        Assert.True(picture.BaselineIsSolid(11, 12));
    }

    [Fact]
    public void Render_Values_BarsStandOnZeroInProportion()
    {
        var picture = Picture.Of([5, 10, 0]);

        var full = Sparkline.BaselineY - Sparkline.PlotTop;
        Assert.Equal(full, picture.BarHeight(1, 3));
        Assert.Equal(full / 2, picture.BarHeight(0, 3), tolerance: 1);
        Assert.Equal(0, picture.BarHeight(2, 3));
    }

    [Fact]
    public void Render_Series_LabelsTheValueAxisAndTheTimeAxis()
    {
        var picture = Picture.Of([1, 2, 3]);

        // The axis's top and bottom values, left of the plot; how far back it goes and "now", under it.
        Assert.True(picture.HasInk(0, Sparkline.PlotLeft, 0, Sparkline.PlotTop + 10), "the top value is labelled");
        Assert.True(picture.HasInk(0, Sparkline.PlotLeft, Sparkline.BaselineY - 8, Sparkline.BaselineY + 8), "the bottom value is labelled");
        Assert.True(picture.HasInk(Sparkline.PlotLeft, Sparkline.PlotLeft + 100, Sparkline.BaselineY + 6, Sparkline.Height), "where the time axis begins is labelled");
        Assert.True(picture.HasInk(Sparkline.PlotRight - 40, Sparkline.PlotRight, Sparkline.BaselineY + 6, Sparkline.Height), "\"now\" is labelled");
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(950, "950")]
    [InlineData(12_400, "12.4k")]
    [InlineData(3_250_000, "3.3M")]
    [InlineData(0.25, "0.25")]
    public void Label_Value_IsShort(double value, string expected) => Assert.Equal(expected, Sparkline.Label(value));

    [Theory]
    [InlineData(60, "1 h ago")]
    [InlineData(45, "45 min ago")]
    [InlineData(2880, "2 d ago")]
    public void Ago_Span_SaysHowFarBack(int minutes, string expected) => Assert.Equal(expected, Sparkline.Ago(TimeSpan.FromMinutes(minutes)));

    private static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            // Over type and data, per the PNG spec.
            Assert.Equal(Crc32.HashToUInt32(png.AsSpan(offset + 4, 4 + length)), crc);
            chunks.Add((type, data));
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        return chunks;
    }

    private static byte[] Inflate(byte[] data)
    {
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return inflated.ToArray();
    }

    /// <summary>The decoded picture (filter type None rows), read pixel by pixel.</summary>
    private sealed class Picture(byte[][] rows)
    {
        public static Picture Of(double?[] values)
        {
            var png = Sparkline.Render(values, FiveMinutes);
            return new Picture(Inflate(ReadChunks(png)[1].Data).Chunk((Sparkline.Width * 3) + 1).ToArray());
        }

        private (byte R, byte G, byte B) At(int x, int y)
        {
            Assert.Equal(0, rows[y][0]);
            return (rows[y][1 + (x * 3)], rows[y][2 + (x * 3)], rows[y][3 + (x * 3)]);
        }

        private bool IsBackground(int x, int y) => At(x, y) == (0xFF, 0xFF, 0xFF);

        /// <summary>Painted rows straight above the baseline in the middle of bar <paramref name="index"/>.</summary>
        public int BarHeight(int index, int count)
        {
            var (left, right) = Sparkline.Slot(index, count);
            var x = (left + right) / 2;
            var height = 0;
            while (Sparkline.BaselineY - height - 1 >= 0 && !IsBackground(x, Sparkline.BaselineY - height - 1) && At(x, Sparkline.BaselineY - height - 1) != (0xE4, 0xE4, 0xE4))
            {
                height++;
            }

            return height;
        }

        public bool BaselineIsSolid(int index, int count)
        {
            var (left, right) = Sparkline.Slot(index, count);
            return Enumerable.Range(left, right - left).All(x => !IsBackground(x, Sparkline.BaselineY));
        }

        public bool BaselineIsDotted(int index, int count)
        {
            var (left, right) = Sparkline.Slot(index, count);
            var painted = Enumerable.Range(left, right - left).Count(x => !IsBackground(x, Sparkline.BaselineY));
            return painted > 0 && painted < right - left;
        }

        public bool HasInk(int x0, int x1, int y0, int y1) =>
            Enumerable.Range(y0, y1 - y0).Any(y => Enumerable.Range(x0, x1 - x0).Any(x => At(x, y) == (0x33, 0x33, 0x33)));
    }
}
