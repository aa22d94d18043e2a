using System.CommandLine;
using CodePairs.Cli;

// codepairs: check claims against CMS NCCI edits offline (no Azure). See README "Offline CLI".
var interactive = !Console.IsErrorRedirected;
var commands = new Commands(Console.Out, Console.Error, interactive);

var root = new RootCommand("CodePairs offline: import CMS NCCI files to a snapshot, inspect it, profile a code, check a claims file.");

var importInputs = new Argument<string[]>("files") { Description = "CMS files (zips, .TXT, .xlsx, .csv, release.json) or folders holding them", Arity = ArgumentArity.OneOrMore };
var importOut = new Option<string>("--out", "-o") { Description = "the snapshot file to write", Required = true };
var import = new Command("import", "Read one release from CMS files and write its snapshot") { importInputs, importOut };
import.SetAction(p => commands.Import(p.GetValue(importInputs)!, p.GetValue(importOut)!));

var inspectSnapshot = new Argument<string>("snapshot") { Description = "a snapshot written by 'rules import'" };
var inspect = new Command("inspect", "Show a snapshot's release, tables, row counts and effective dates") { inspectSnapshot };
inspect.SetAction(p => commands.Inspect(p.GetValue(inspectSnapshot)!));

var codeSnapshot = new Argument<string>("snapshot") { Description = "a snapshot written by 'rules import'" };
var codeArg = new Argument<string>("code") { Description = "a CPT/HCPCS code, e.g. 77003" };
var codeDate = new Option<string>("--date", "-d") { Description = "date of service YYYY-MM-DD (default: the release's first day)" };
var codeSetting = new Option<string>("--setting", "-s") { Description = "practitioner (default) or hospital" };
var codeHistory = new Option<bool>("--history") { Description = "list every PTP row, including deleted and indicator-9 rows" };
var codeJson = new Option<bool>("--json") { Description = "print the profile as JSON" };
var code = new Command("code", "Profile a code: add-on status and primaries, PTP partners both ways, MUE") { codeSnapshot, codeArg, codeDate, codeSetting, codeHistory, codeJson };
code.SetAction(p => commands.Code(p.GetValue(codeSnapshot)!, p.GetValue(codeArg)!, p.GetValue(codeDate), p.GetValue(codeSetting), p.GetValue(codeHistory), p.GetValue(codeJson)));

var publishInputs = new Argument<string[]>("input") { Description = "a snapshot file, or CMS files/folders of one release", Arity = ArgumentArity.OneOrMore };
var publishConnection = new Option<string>("--connection") { Description = "storage connection string (default: the CodePairsStorage setting, else UseDevelopmentStorage=true)" };
var publishNoActivate = new Option<bool>("--no-activate") { Description = "write and verify the release but leave the active set as it is" };
var publish = new Command("publish", "Write a release into the rule store (Table + Blob Storage) and activate it") { publishInputs, publishConnection, publishNoActivate };
publish.SetAction(p => new PublishCommand(commands, Console.Out, Console.Error).Run(p.GetValue(publishInputs)!, p.GetValue(publishConnection), !p.GetValue(publishNoActivate)));

var rules = new Command("rules", "Rule snapshots: import CMS files, inspect, profile a code, publish to storage") { import, inspect, code, publish };

var checkSnapshot = new Argument<string>("snapshot") { Description = "a snapshot written by 'rules import'" };
var checkClaims = new Argument<string>("claims") { Description = "claims.csv (claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units[,setting]), claims.jsonl, or an X12 837P/837I file (.837, .x12, .edi, or .txt starting with ISA)" };
var checkOut = new Option<string>("--out", "-o") { Description = "write result rows here (default: stdout; the summary then goes to stderr)" };
var checkSetting = new Option<string>("--setting", "-s") { Description = "setting for CSV/JSON lines that name none: practitioner (default) or hospital (an 837 says it: 837P practitioner, 837I hospital)" };
var checkInfo = new Option<bool>("--info") { Description = "also write info findings (bypassed edits, no published MUE)" };
var check = new Command("check", "Check a claims file against a snapshot. Exit code: 0 clean, 1 findings, 2 rejected lines (837: rejected claims or envelope problems), 3 could not run") { checkSnapshot, checkClaims, checkOut, checkSetting, checkInfo };
check.SetAction(p => commands.Check(p.GetValue(checkSnapshot)!, p.GetValue(checkClaims)!, p.GetValue(checkOut), p.GetValue(checkSetting), p.GetValue(checkInfo)));

var generateFolder = new Argument<string>("folder") { Description = "where to write the CMS files" };
var generateScale = new Option<string>("--scale") { Description = "small (tests) or full (a real release's size)", DefaultValueFactory = _ => "small" };
var generateSeed = new Option<int>("--seed") { Description = "random seed (same seed, same release)", DefaultValueFactory = _ => 1 };
var generateClaims = new Option<int>("--claims") { Description = "also write a claims file with about this many (service) lines" };
var generateClaimsFormat = new Option<string>("--claims-format") { Description = "csv (claims.csv, default), 837p or 837i (claims-837p.837 / claims-837i.837: X12 005010)", DefaultValueFactory = _ => "csv" };
var generate = new Command("generate", "Write a synthetic release in the official CMS formats and file names") { generateFolder, generateScale, generateSeed, generateClaims, generateClaimsFormat };
generate.SetAction(p => commands.Generate(p.GetValue(generateFolder)!, p.GetValue(generateScale)!, p.GetValue(generateSeed), p.GetValue(generateClaims), p.GetValue(generateClaimsFormat)!));

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
