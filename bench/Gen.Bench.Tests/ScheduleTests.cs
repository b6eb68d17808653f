using System.Collections.Generic;
using System.Linq;
using Gen.Bench.Runner;
using Xunit;

namespace Gen.Bench.Tests;

public sealed class ScheduleTests
{
    [Fact]
    public void EveryRoundRunsEveryGroupWithItsPeersRotatedSoNoPeerIsFirstTwice()
    {
        var groups = Catalog.Workloads.Take(3)
            .Select(w => (IReadOnlyList<PlannedRun>)Catalog.Peers.Take(4).Select(p => new PlannedRun(w, p, 2)).ToList())
            .ToList();
        const int repeat = 3;

        List<PlannedRun> schedule = WorkloadRunner.Schedule(groups, repeat);

        Assert.Equal(groups.Sum(g => g.Count) * repeat, schedule.Count);
        int roundLength = groups.Sum(g => g.Count);
        for (int round = 0; round < repeat; round++)
        {
            List<PlannedRun> runs = schedule.GetRange(round * roundLength, roundLength);
            int at = 0;
            foreach (IReadOnlyList<PlannedRun> group in groups)
            {
                List<PlannedRun> part = runs.GetRange(at, group.Count);
                Assert.Equal(group.ToHashSet(), part.ToHashSet()); // the group whole, each run once, before the next group
                Assert.Equal(group[round % group.Count], part[0]);
                at += group.Count;
            }
        }

        foreach (IReadOnlyList<PlannedRun> group in groups)
        {
            var firsts = Enumerable.Range(0, repeat).Select(round =>
                schedule[round * roundLength + groups.TakeWhile(g => g != group).Sum(g => g.Count)]).ToList();
            Assert.Equal(repeat, firsts.Distinct().Count());
        }
    }
}
