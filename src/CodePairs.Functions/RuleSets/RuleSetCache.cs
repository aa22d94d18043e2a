using System.Diagnostics;
using CodePairs.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.RuleSets;

/// <summary>Where the active rule set comes from (storage in the service, anything in tests).</summary>
public interface IRuleSetSource
{
    /// <summary>The id of the active rule set, or null when no pointer has been written yet.</summary>
    Task<string?> GetActiveRuleSetIdAsync(CancellationToken cancellationToken);

    /// <summary>Loads one rule set (every table version it holds).</summary>
    Task<RuleSet> LoadAsync(string ruleSetId, CancellationToken cancellationToken);
}

/// <summary>Options of the in-memory rule set (section <c>CodePairs:Rules</c>).</summary>
public sealed class RulesOptions
{
    public const string Section = "CodePairs:Rules";
    /// <summary>How often a worker checks the active pointer (seconds).</summary>
    public int PollSeconds { get; set; } = 60;
    /// <summary>How long a request waits for the load in progress when no rule set is loaded yet, before its 503 (seconds).</summary>
    public double LoadWaitSeconds { get; set; } = 10;
    /// <summary>Custom rule packs applied with the CMS tables, by name (embedded packs; default the 77003 pack).</summary>
    public List<string> Packs { get; set; } = ["cpt-77003"];
}

/// <summary>
/// Loads the active rule set — from the worker's start (<see cref="RuleSetWarmup"/>) or at first use — keeps it immutable
/// in memory and swaps it whole (Interlocked) when the active pointer moves. One check or load runs at a time: requests
/// that find no rule set join the one in flight (waiting at most <see cref="RulesOptions.LoadWaitSeconds"/>) rather
/// than starting their own. A set that fails to load never replaces the one serving.
/// </summary>
public sealed class RuleSetCache(IRuleSetSource source, IOptions<RulesOptions> options, TimeProvider clock, ILogger<RuleSetCache> logger)
    : IActiveRules, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IReadOnlyList<RulePack> _packs = options.Value.Packs.Select(RulePack.Embedded).ToArray();
    private readonly Lock _sync = new();
    private LoadedRules? _current;
    private string? _currentKey;
    private string? _failedKey;
    private long _lastCheckTicks = long.MinValue;
    private Task? _inFlight;

    public LoadedRules? Current => Volatile.Read(ref _current);

    public RuleSetLoadState Status => Current is not null ? RuleSetLoadState.Loaded
        : Volatile.Read(ref _inFlight) is { IsCompleted: false } ? RuleSetLoadState.Loading : RuleSetLoadState.Unavailable;

    public async ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken)
    {
        var current = Current;
        if (current is not null)
        {
            if (Due()) _ = Check(); // in the background: this request answers from the set it has
            return current;
        }
        try
        {
            await Check().WaitAsync(TimeSpan.FromSeconds(options.Value.LoadWaitSeconds), clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.RuleSetWaitTimedOut(logger, options.Value.LoadWaitSeconds);
        }
        return Current;
    }

    /// <summary>Starts loading the active set now (the worker's start), or joins the check in flight.</summary>
    public Task WarmUpAsync()
    {
        Log.RuleSetWarmingUp(logger);
        return Check();
    }

    /// <summary>The check in flight, or a new one: never two at once from requests.</summary>
    private Task Check()
    {
        lock (_sync)
        {
            if (_inFlight is { IsCompleted: false } running) return running;
            return _inFlight = Task.Run(() => RefreshAsync(force: false, CancellationToken.None));
        }
    }

    private bool Due()
    {
        var last = Interlocked.Read(ref _lastCheckTicks);
        return last == long.MinValue || clock.GetUtcNow().UtcTicks - last >= TimeSpan.FromSeconds(options.Value.PollSeconds).Ticks;
    }

    /// <summary>Checks the pointer now and loads a new set when it moved. Returns true when a new set was swapped in.</summary>
    public async Task<bool> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!force && Current is not null && !Due()) return false;
            Interlocked.Exchange(ref _lastCheckTicks, clock.GetUtcNow().UtcTicks);
            string? key;
            try
            {
                key = await source.GetActiveRuleSetIdAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.PointerCheckFailed(logger, e);
                return false;
            }
            if (key is null)
            {
                Log.NoActivePointer(logger);
                return false;
            }
            if (key == _currentKey || (key == _failedKey && !force)) return false;
            var watch = Stopwatch.StartNew();
            try
            {
                var rules = await source.LoadAsync(key, cancellationToken);
                var loaded = new LoadedRules(rules, new ClaimValidator(rules, _packs), key, clock.GetUtcNow());
                Interlocked.Exchange(ref _current, loaded);
                _currentKey = key;
                _failedKey = null;
                Log.RuleSetLoaded(logger, key, rules.Versions.Count, rules.Codes.Count, watch.ElapsedMilliseconds);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _failedKey = key; // do not retry the same broken set on every request; a new pointer is tried at once
                Log.RuleSetLoadFailed(logger, e, key);
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
