using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.HaProxy;

namespace ChatOps.Integrations.Tests.Infrastructure.HaProxy;

public sealed class HaProxyStatParserTests
{
    // Captured from HAProxy 2.6.12 ('show stat -1 4 -1'), trimmed to the columns up to 'uweight'.
    private const string Captured = """
        # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,
        app,web1,0,0,0,0,,12,0,0,,0,,0,0,0,0,no check,50,1,0,,,1,,,1,3,1,,12,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:18081,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,50,
        app,web2,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,0,1,0,,,0,,,1,3,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:18082,,http,,,,,,,,0,0,0,,,0,0,0,0,0,0,0,0,0,0,0,20,

        """;

    [Fact]
    public void Parse_CapturedShowStat_TypedRows()
    {
        var rows = HaProxyStatParser.Parse(Captured);

        Assert.Equal(
            [
                new HaProxyStatRow("app", "web1", HaProxyStatType.Server, "no check", 50, "127.0.0.1:18081", 12, 12),
                new HaProxyStatRow("app", "web2", HaProxyStatType.Server, "MAINT", 20, "127.0.0.1:18082", 0, 0),
            ],
            rows);
    }

    [Theory]
    [InlineData("No such proxy.\n")]
    [InlineData("")]
    public void Parse_NotStatistics_ThrowsWithReply(string reply)
    {
        var ex = Assert.Throws<LoadBalancerException>(() => HaProxyStatParser.Parse(reply));

        Assert.Contains(reply.Length == 0 ? "(empty reply)" : "No such proxy.", ex.Message);
    }

    [Fact]
    public void Render_MessageWithMarkupAndLineBreaks_EncodedOnOneLine()
    {
        var page = HaProxySorryPage.Render("Back <soon>\n& \"then\"");

        Assert.DoesNotContain('\n', page);
        Assert.Contains("<h1>Back &lt;soon&gt; &amp; &quot;then&quot;</h1>", page);
    }
}
