using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ChatOps.Radiator.Pulse;

namespace ChatOps.Radiator.Tests.Pulse;

public sealed class SparklineTests
{
    [Theory]
    [InlineData(new double[] { 1, 5, 3, 8, 2, 9 })]
    [InlineData(new double[] { 4, 4, 4 })]
    [InlineData(new double[] { })]
    public void Render_Series_IsAValidPng(double[] values)
    {
        var png = Sparkline.Render([.. values.Select(v => (double?)v)]);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = ReadChunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal(13, ihdr.Length);
        Assert.Equal(Sparkline.Width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(Sparkline.Height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal([8, 2, 0, 0, 0], ihdr[8..]);
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal(Sparkline.Height * ((Sparkline.Width * 3) + 1), inflated.Length);
    }

    [Fact]
    public void Render_HigherValue_DrawsTallerBar()
    {
        var rows = Pixels(Sparkline.Render([1, 10]));

        int Height(int x) => Enumerable.Range(0, Sparkline.Height).Count(y => rows[y][1 + (x * 3)] != 0xFF);
        Assert.True(Height(Sparkline.Width - 5) > Height(5));
        Assert.True(Height(5) > 0);
    }

    [Fact]
    public void Crc32_KnownVector_Matches() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));

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
            // Over type and data, per the PNG spec; Crc32 itself is pinned to the standard check value below.
            Assert.Equal(Crc32.Compute(png.AsSpan(offset + 4, 4 + length)), crc);
            chunks.Add((type, data));
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        return chunks;
    }

    private static byte[][] Pixels(byte[] png)
    {
        var idat = ReadChunks(png)[1].Data;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return inflated.ToArray().Chunk((Sparkline.Width * 3) + 1).ToArray();
    }
}
