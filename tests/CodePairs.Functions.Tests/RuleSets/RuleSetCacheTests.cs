using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CodePairs.Functions.Tests.RuleSets;

public class RuleSetCacheTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-08-03T00:00:00Z"));
    private readonly Mock<IRuleSetSource> _source = new();
    private string? _pointer = "rs-000000000322";

    public RuleSetCacheTests()
    {
        _source.Setup(s => s.GetActiveRuleSetIdAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => _pointer);
        _source.Setup(s => s.LoadAsync("rs-000000000322", It.IsAny<CancellationToken>()))
            .ReturnsAsync(TestRules.Set.Value);
    }

    private RuleSetCache Cache() => new(_source.Object, Options.Create(new RulesOptions { PollSeconds = 60 }), _clock, NullLogger<RuleSetCache>.Instance);

    [Fact]
    public async Task LoadsTheActiveSetAtFirstUseWithTheConfiguredPacks()
    {
        var cache = Cache();
        Assert.Null(cache.Current);
        var loaded = await cache.GetAsync(default);
        Assert.NotNull(loaded);
        Assert.Equal("rs-000000000322", loaded.RuleSetId);
        Assert.Equal("cpt-77003", Assert.Single(loaded.Validator.Packs).Name);
        Assert.Same(loaded, cache.Current);
    }

    [Fact]
    public async Task ServesNothingUntilAPointerExists()
    {
        _pointer = null;
        Assert.Null(await Cache().GetAsync(default));
        _source.Verify(s => s.LoadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SwapsToANewSetWhenThePointerMovesAfterThePollInterval()
    {
        var cache = Cache();
        var first = await cache.GetAsync(default);
        var second = TestRules.Builder("v323r0", new DateOnly(2026, 10, 1)).Build();
        _source.Setup(s => s.LoadAsync("rs-000000000323", It.IsAny<CancellationToken>())).ReturnsAsync(second);
        _pointer = "rs-000000000323";

        Assert.False(await cache.RefreshAsync(force: false, default)); // not due yet
        Assert.Same(first, cache.Current);
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await cache.RefreshAsync(force: false, default));
        Assert.Same(second, cache.Current!.Rules);
        Assert.Equal("rs-000000000323", cache.Current.RuleSetId);
    }

    [Fact]
    public async Task KeepsServingThePreviousSetWhenANewOneFailsToLoad()
    {
        var cache = Cache();
        var first = await cache.GetAsync(default);
        _source.Setup(s => s.LoadAsync("rs-0000000000ba", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidDataException("snapshot checksum mismatch"));
        _pointer = "rs-0000000000ba";
        Assert.False(await cache.RefreshAsync(force: true, default));
        Assert.Same(first, cache.Current);
        // The broken set is not retried on every poll, only when forced or when the pointer moves again.
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(await cache.RefreshAsync(force: false, default));
        _source.Verify(s => s.LoadAsync("rs-0000000000ba", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SurvivesAnUnreachablePointer()
    {
        var cache = Cache();
        var first = await cache.GetAsync(default);
        _source.Setup(s => s.GetActiveRuleSetIdAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("connection refused"));
        Assert.False(await cache.RefreshAsync(force: true, default));
        Assert.Same(first, cache.Current);
    }
}
