using Xunit;

// The heap is process-global and the stats tests need it quiescent: run one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
