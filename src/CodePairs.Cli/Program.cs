using System.CommandLine;
using CodePairs.Cli;

// codepairs: check claims against CMS NCCI edits offline (no Azure). See README "Offline CLI".
var interactive = !Console.IsErrorRedirected;
var commands = new Commands(Console.Out, Console.Error, interactive);

var root = new RootCommand("CodePairs offline: import CMS NCCI files to a snapshot, inspect it, profile a code, check a claims file.");

var importInputs = new Argument<string[]>("files") { Description = "CMS files (zips, .TXT, .xlsx, .csv, release.json) or folders holding them (the files directly inside; a subfolder holding files fails the import unless it is named too)", Arity = ArgumentArity.OneOrMore };
var importOut = new Option<string>("--out", "-o") { Description = "the snapshot file to write", Required = true };
var ptpParts = new Option<int>("--ptp-parts") { Description = "parts a PTP table must have (CMS ships f1-f4; lower it only for an excerpt)", DefaultValueFactory = _ => 4 };
var import = new Command("import", "Read CMS files (any subset of the six tables) and write their snapshot; reports every file") { importInputs, importOut, ptpParts };
import.SetAction(p => commands.Import(p.GetValue(importInputs)!, p.GetValue(importOut)!, p.GetValue(ptpParts)));

var inspectSnapshot = new Argument<string>("snapshot") { Description = "a snapshot written by 'rules import'" };
var inspectDate = new Option<string>("--date", "-d") { Description = "mark the versions in force on this date (default: today)" };
var inspect = new Command("inspect", "Show a snapshot's tables: every version held (effective date, rows, source files) and the one in force") { inspectSnapshot, inspectDate };
inspect.SetAction(p => commands.Inspect(p.GetValue(inspectSnapshot)!, p.GetValue(inspectDate)));

var codeSnapshot = new Argument<string>("snapshot") { Description = "a snapshot written by 'rules import'" };
var codeArg = new Argument<string>("code") { Description = "a CPT/HCPCS code, e.g. 77003" };
var codeDate = new Option<string>("--date", "-d") { Description = "date of service YYYY-MM-DD (default: the latest version's first day)" };
var codeSetting = new Option<string>("--setting", "-s") { Description = "practitioner (default) or hospital" };
var codeHistory = new Option<bool>("--history") { Description = "list every PTP row, including deleted and indicator-9 rows" };
var codeJson = new Option<bool>("--json") { Description = "print the profile as JSON" };
var code = new Command("code", "Profile a code: add-on status and primaries, PTP partners both ways, MUE") { codeSnapshot, codeArg, codeDate, codeSetting, codeHistory, codeJson };
code.SetAction(p => commands.Code(p.GetValue(codeSnapshot)!, p.GetValue(codeArg)!, p.GetValue(codeDate), p.GetValue(codeSetting), p.GetValue(codeHistory), p.GetValue(codeJson)));

var publishInputs = new Argument<string[]>("input") { Description = "a snapshot file, or CMS files/folders (any subset of the tables)", Arity = ArgumentArity.OneOrMore };
var publishConnection = new Option<string>("--connection") { Description = "storage connection string (default: the CodePairsStorage setting, else UseDevelopmentStorage=true)" };
var publishNoActivate = new Option<bool>("--no-activate") { Description = "write and verify the table versions and the new rule set but leave the active one as it is" };
var publishParts = new Option<int>("--ptp-parts") { Description = "parts a PTP table must have (CMS ships f1-f4)", DefaultValueFactory = _ => 4 };
var publishKeep = new Option<int>("--versions-per-table") { Description = "versions of each table the rule set keeps (the latest)", DefaultValueFactory = _ => 4 };
var publishCatalog = new Option<string>("--catalog-table") { Description = "the rule store's catalogue table (default: the service's, RuleCatalog)", DefaultValueFactory = _ => CodePairs.Storage.StorageNames.CatalogTable };
var publishEdits = new Option<string>("--edits-table") { Description = "the rule store's edits table (default: RuleEdits)", DefaultValueFactory = _ => CodePairs.Storage.StorageNames.EditsTable };
var publishSnapshots = new Option<string>("--snapshots-container") { Description = "the rule store's snapshot container (default: rules-snapshots)", DefaultValueFactory = _ => CodePairs.Storage.StorageNames.SnapshotsContainer };
var publish = new Command("publish", "Put table versions into the rule store (Table + Blob Storage), compose them over the active rule set and activate it")
    { publishInputs, publishConnection, publishNoActivate, publishParts, publishKeep, publishCatalog, publishEdits, publishSnapshots };
publish.SetAction(p => new PublishCommand(commands, Console.Out, Console.Error).Run(p.GetValue(publishInputs)!, p.GetValue(publishConnection),
    !p.GetValue(publishNoActivate), p.GetValue(publishParts), p.GetValue(publishKeep),
    new CodePairs.Storage.RuleStoreNames(p.GetValue(publishCatalog)!, p.GetValue(publishEdits)!, p.GetValue(publishSnapshots)!)));

var changesSnapshot = new Argument<string>("snapshot") { Description = "a snapshot holding the versions (or dates) to compare" };
var changesTable = new Option<string>("--table", "-t") { Description = "ptp-practitioner, ptp-hospital, aoc, mue-practitioner, mue-hospital or mue-dme", Required = true };
var changesFrom = new Option<string>("--from") { Description = "a version of the table (v322r0, AOC_V2026Q2, 2026-07-01) or a date YYYY-MM-DD", Required = true };
var changesTo = new Option<string>("--to") { Description = "a version of the table or a date YYYY-MM-DD", Required = true };
var changesCodes = new Option<string>("--codes") { Description = "only changes naming these codes or ranges, e.g. 77003,62320-62329" };
var changesJson = new Option<bool>("--json") { Description = "print the report as JSON" };
var changes = new Command("changes", "What changed in a table between two versions, or between the versions in force on two dates")
    { changesSnapshot, changesTable, changesFrom, changesTo, changesCodes, changesJson };
changes.SetAction(p => commands.Changes(p.GetValue(changesSnapshot)!, p.GetValue(changesTable)!, p.GetValue(changesFrom)!, p.GetValue(changesTo)!,
    p.GetValue(changesCodes), p.GetValue(changesJson)));

var rules = new Command("rules", "Rule snapshots: import CMS files, inspect, profile a code, compare versions, publish to storage") { import, inspect, code, changes, publish };

var checkSnapshot = new Argument<string>("snapshot") { Description = "a snapshot written by 'rules import'" };
var checkClaims = new Argument<string>("claims") { Description = "claims.csv (claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units[,setting]), claims.jsonl, or an X12 837P/837I file (.837, .x12, .edi, or .txt starting with ISA)" };
var checkOut = new Option<string>("--out", "-o") { Description = "write result rows here (default: stdout; the summary then goes to stderr)" };
var checkSetting = new Option<string>("--setting", "-s") { Description = "setting for CSV/JSON lines that name none: practitioner (default) or hospital (an 837 says it: 837P practitioner, 837I hospital)" };
var checkInfo = new Option<bool>("--info") { Description = "also write info findings (bypassed edits, no published MUE)" };
var checkPacks = new Option<string>("--packs") { Description = "rule packs to apply, comma-separated, or 'none' (default: cpt-77003, as the service)" };
var check = new Command("check", "Check a claims file against a snapshot. Exit code: 0 clean, 1 findings, 2 rejected lines (837: rejected claims or envelope problems), 3 could not run") { checkSnapshot, checkClaims, checkOut, checkSetting, checkInfo, checkPacks };
check.SetAction(p => commands.Check(p.GetValue(checkSnapshot)!, p.GetValue(checkClaims)!, p.GetValue(checkOut), p.GetValue(checkSetting), p.GetValue(checkInfo), p.GetValue(checkPacks)));

var generateFolder = new Argument<string>("folder") { Description = "where to write the CMS files" };
var generateScale = new Option<string>("--scale") { Description = "small (tests) or full (a real release's size)", DefaultValueFactory = _ => "small" };
var generateSeed = new Option<int>("--seed") { Description = "random seed (same seed, same release)", DefaultValueFactory = _ => 1 };
var generateClaims = new Option<int>("--claims") { Description = "also write a claims file with about this many (service) lines" };
var generateClaimsFormat = new Option<string>("--claims-format") { Description = "csv (claims.csv, default), 837p or 837i (claims-837p.837 / claims-837i.837: X12 005010)", DefaultValueFactory = _ => "csv" };
var generateVersion = new Option<string>("--version") { Description = "the PTP version naming the quarter (default v322r0 = 2026 Q3)" };
var generateTables = new Option<string>("--tables") { Description = "which tables: ptp, aoc, mue or table names, comma-separated (default all six)" };
var generate = new Command("generate", "Write synthetic CMS tables in the official formats and download names") { generateFolder, generateScale, generateSeed, generateClaims, generateClaimsFormat, generateVersion, generateTables };
generate.SetAction(p => commands.Generate(p.GetValue(generateFolder)!, p.GetValue(generateScale)!, p.GetValue(generateSeed), p.GetValue(generateClaims),
    p.GetValue(generateVersion), p.GetValue(generateTables), p.GetValue(generateClaimsFormat)!));

root.Subcommands.Add(rules);
root.Subcommands.Add(check);
root.Subcommands.Add(generate);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var e in parse.Errors) Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("run with --help for usage");
    return ExitCodes.Usage;
}
return parse.Invoke();
