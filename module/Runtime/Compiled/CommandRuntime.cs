// The entry points of every generated command (module/Commands) for begin and process, compiled: a script block's
// invocation, its parameter binding and its statements cost about as much as the rest of a warm call's PowerShell
// time (issue 12). What is rare or writes through PowerShell's streams stays in the script runtime
// (module/Runtime/*.ps1) and is called from here as script blocks: checked items (-WhatIf, -Confirm, steps), body
// objects, the ordered pipeline of piped items, errors and pages.
//
// One instance per import of the module (New-MgRsCommandRuntime, Command.ps1): the script blocks belong to that
// import's session state, so nothing here is static. The command's state stays a hashtable, which the script
// runtime reads by the same keys.
using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MicrosoftGraphRs
{
    public sealed class CommandRuntime
    {
        private readonly SessionState module;
        private readonly IDictionary commands;
        private readonly ModelReader reader;
        private readonly ScriptBlock initializeCommand, checkedItem, wireMap, modelValue, initializeNative,
            maxConcurrency, prepareSendText, receive, writeResult, writePage;
        private readonly Func<byte[], int, ulong> submit;
        private readonly Func<ulong, uint, int> wait;
        private readonly Func<ulong, uint, IntPtr> take;
        private readonly Action<IntPtr> stringFree;

        // native: MicrosoftGraphRs.Native (the interop assembly); its P/Invoke methods are the one binding of the
        // library's exports, called here through delegates. scripts: the script runtime's functions named below.
        public CommandRuntime(SessionState module, Type native, IDictionary commands, IDictionary models, IDictionary scripts)
        {
            this.module = module;
            this.commands = commands;
            reader = new ModelReader(models);
            initializeCommand = Script(scripts, "InitializeCommand");
            checkedItem = Script(scripts, "CheckedItem");
            wireMap = Script(scripts, "WireMap");
            modelValue = Script(scripts, "ModelValue");
            initializeNative = Script(scripts, "InitializeNative");
            maxConcurrency = Script(scripts, "MaxConcurrency");
            prepareSendText = Script(scripts, "PrepareSendText");
            receive = Script(scripts, "Receive");
            writeResult = Script(scripts, "WriteResult");
            writePage = Script(scripts, "WritePage");
            submit = Bind<Func<byte[], int, ulong>>(native, "mgrs_submit");
            wait = Bind<Func<ulong, uint, int>>(native, "mgrs_wait");
            take = Bind<Func<ulong, uint, IntPtr>>(native, "mgrs_take");
            stringFree = Bind<Action<IntPtr>>(native, "mgrs_string_free");
        }

        public ModelReader Models { get { return reader; } }

        // begin: the caller's preferences (a compiled cmdlet follows its caller's, a module function would see the
        // module's), what the command will do with its items, and the line of items in flight (Pipeline.ps1).
        public Hashtable Start(string name, PSCmdlet cmdlet, Dictionary<string, object> bound)
        {
            try
            {
                PSVariableIntrinsics caller = cmdlet.SessionState.PSVariable;
                // A preference given as a common parameter is the command's own variable (the binder set it).
                object whatIf = Preference(bound, "WhatIf", "WhatIfPreference", caller);
                object confirm = Preference(bound, "Confirm", "ConfirmPreference", caller);
                object errorAction = Preference(bound, "ErrorAction", "ErrorActionPreference", caller);
                object warning = Preference(bound, "WarningAction", "WarningPreference", caller);
                object verbose = Preference(bound, "Verbose", "VerbosePreference", caller);
                object debug = Preference(bound, "Debug", "DebugPreference", caller);
                // The official modules beside this one (Authentication/Coexistence.ps1): looked for only when the
                // session's modules changed since the last look.
                var table = module.PSVariable.GetValue("MgRsModuleTable") as ICollection;
                bool probe = table == null || !Equals(table.Count, Unwrap(module.PSVariable.GetValue("MgRsModulesSeen")));

                var info = (IDictionary)commands[name];
                object headersName = info["Headers"];
                // A dictionary bound to -Headers from the pipeline is an input record, not headers (docs/abi.md).
                bool headersFromCommandLine = headersName != null && bound.ContainsKey((string)headersName);
                // The library formats only the log lines that will be shown.
                string logLevel = !Quiet(debug) ? "debug" : !Quiet(verbose) ? "verbose" : "warning";
                // Only -WhatIf and -Confirm can stop an item between checking and sending, and only in a command
                // with an impact.
                object impact = Unwrap(info["ConfirmImpact"]);
                bool askFirst = false;
                if (impact != null)
                {
                    var confirmAt = ConvertOr(confirm, ConfirmImpact.High);
                    askFirst = LanguagePrimitives.IsTrue(whatIf) ||
                        (bound.TryGetValue("Confirm", out object confirmGiven) && LanguagePrimitives.IsTrue(confirmGiven)) ||
                        (confirmAt != ConfirmImpact.None && confirmAt <= (ConfirmImpact)impact);
                }
                // The runtime and proxy parameters are looked up only when one of them was given (most calls give none).
                var sharedNames = (IDictionary)info["Shared"];
                bool shared = false;
                foreach (string key in bound.Keys) { if (sharedNames.Contains(key)) { shared = true; break; } }
                object countName = info["CountVariable"];

                var state = new Hashtable(StringComparer.OrdinalIgnoreCase)
                {
                    ["Name"] = name,
                    ["Info"] = info,
                    ["Cmdlet"] = cmdlet,
                    ["Queue"] = new Queue<Hashtable>(),
                    ["Max"] = 0,   // MaxConcurrency, read from the request context when a second item arrives
                    ["ResponseHeadersVariable"] = null,
                    ["HeadersFromCommandLine"] = headersFromCommandLine,
                    ["Headers"] = headersFromCommandLine ? bound[(string)headersName] : null,
                    ["Started"] = System.Diagnostics.Stopwatch.GetTimestamp(),
                    ["Done"] = 0,
                    ["Throttled"] = 0,
                    ["ProgressAt"] = 1000,
                    ["ProgressShown"] = false,
                    ["ExpectingInput"] = cmdlet.MyInvocation.ExpectingInput,
                    // The variable a list's count goes to (-CountVariable).
                    ["CountVariable"] = countName != null && bound.TryGetValue((string)countName, out object countTo)
                        ? LanguagePrimitives.ConvertTo<string>(countTo) : null,
                    ["WarnThroughCommand"] = !(bound.TryGetValue("Debug", out object debugGiven) && LanguagePrimitives.IsTrue(debugGiven) &&
                        !bound.ContainsKey("WarningAction")),
                    ["Stopping"] = false,   // a stopping error is waiting for the items already sent
                    ["Finished"] = false,   // nothing left for end and clean: a single call read in process
                    ["LogLevel"] = logLevel,
                    ["AskFirst"] = askFirst,
                    // Script steps (PipelineSteps.ps1): every item goes through prepare, the steps, then send.
                    ["WithSteps"] = false,
                    ["Steps"] = null,
                    ["Proxy"] = null,
                    ["WhatIf"] = whatIf,
                    ["Confirm"] = confirm,
                    ["ErrorAction"] = errorAction,
                    ["Warning"] = warning,
                    ["Verbose"] = verbose,
                    ["Debug"] = debug,
                };
                // What writes or may fail runs in the script runtime, under the caller's preferences.
                if (probe || shared || logLevel == "debug") initializeCommand.InvokeReturnAsIs(state, bound, probe, shared);
                return state;
            }
            catch (Exception e) when (Catchable(e))
            {
                cmdlet.ThrowTerminatingError(Record(e));
                throw;
            }
        }

        // process: one input item. What was bound becomes the request's values, converted by declared type without
        // judging them (the library checks them), and the item is submitted without waiting; results come out in
        // input order. A single call (no pipeline input) reads its one answer here.
        public void Item(Hashtable state, Dictionary<string, object> bound)
        {
            var cmdlet = (PSCmdlet)state["Cmdlet"];
            try
            {
                var info = (IDictionary)state["Info"];
                bool expectingInput = (bool)state["ExpectingInput"];
                IDictionary<string, object> given = expectingInput ? WithoutStale(info, bound) : bound;

                string set = cmdlet.ParameterSetName;
                var identityName = (string)info["Identity"];
                var bodyName = (string)info["Body"];
                var headersName = (string)info["Headers"];
                bool identityBound = identityName != null && given.ContainsKey(identityName);
                bool bodyBound = bodyName != null && given.ContainsKey(bodyName);
                // The binder hands one piped dictionary to every pipeline parameter that takes it; the library tells
                // what it is.
                bool headersFromPipeline = headersName != null && given.ContainsKey(headersName) && !(bool)state["HeadersFromCommandLine"];
                bool inputIsBody = identityBound && bodyBound && ReferenceEquals(Base(given[identityName]), Base(given[bodyName]));

                var values = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                object proxy = state["Proxy"];
                // Only strings, numbers and booleans: the request's JSON is written here (flat); anything else is
                // written by ConvertTo-Json in the script runtime.
                bool flat = !LanguagePrimitives.IsTrue(proxy);
                var types = (IDictionary)info["Values"];
                foreach (KeyValuePair<string, object> pair in given)
                {
                    // Common, runtime and proxy parameters have no type here and are not sent.
                    object value = pair.Value;
                    switch (types[pair.Key] as string)
                    {
                        case "string": values[pair.Key] = LanguagePrimitives.ConvertTo<string>(value); break;
                        case "string[]": values[pair.Key] = LanguagePrimitives.ConvertTo<string[]>(value); break;
                        case "int": values[pair.Key] = LanguagePrimitives.ConvertTo<int>(value); break;
                        case "switch":
                            value = Unwrap(value);
                            values[pair.Key] = value is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(value);
                            break;
                        case "datetime": values[pair.Key] = WireValues.DateTime(value); break;
                        case "hashtable": values[pair.Key] = wireMap.InvokeReturnAsIs(value); flat = false; break;
                        case "object": values[pair.Key] = modelValue.InvokeReturnAsIs(value); flat = false; break;
                        case "System.Collections.IDictionary":
                            if (value != null) { values[pair.Key] = wireMap.InvokeReturnAsIs(value); flat = false; }
                            break;
                    }
                }
                if (!flat && LanguagePrimitives.IsTrue(proxy)) values["Proxy"] = proxy;
                // The input item, for the error of an item the library could not resolve.
                object target = null;
                if (identityBound) target = given[identityName];
                else if (info["Path"] is string pathName && given.TryGetValue(pathName, out object path)) target = path;

                var queue = (Queue<Hashtable>)state["Queue"];
                // -WhatIf or -Confirm: check the input, ask, and only then send. Steps also need the request as it
                // will be sent, and ShouldProcess writes its -Verbose line with the library's target.
                if ((bool)state["AskFirst"] || LanguagePrimitives.IsTrue(state["WithSteps"]) ||
                    (info["ConfirmImpact"] != null && (string)state["LogLevel"] != "warning"))
                {
                    if (!LanguagePrimitives.IsTrue(checkedItem.InvokeReturnAsIs(state, values, set, headersFromPipeline, inputIsBody, target))) return;
                }
                else
                {
                    // Checking and sending is one native call; input errors come back as the item's result, in line.
                    if (!LanguagePrimitives.IsTrue(module.PSVariable.GetValue("MgRsInitialized"))) initializeNative.InvokeReturnAsIs();
                    if (LanguagePrimitives.ConvertTo<int>(state["Max"]) == 0 && queue.Count >= 1) state["Max"] = LanguagePrimitives.ConvertTo<int>(maxConcurrency.InvokeReturnAsIs());
                    byte[] bytes = flat
                        ? PrepareSend(state, set, values)
                        : System.Text.Encoding.UTF8.GetBytes((string)Unwrap(prepareSendText.InvokeReturnAsIs(state, values, set, headersFromPipeline, inputIsBody)));
                    ulong handle;
                    try { handle = submit(bytes, bytes.Length); }
                    finally { Array.Clear(bytes, 0, bytes.Length); }   // it may hold a secret
                    if (handle == 0) throw ScriptError("Microsoft.Graph.Rs could not hand the request to its native library.");
                    queue.Enqueue(new Hashtable(StringComparer.OrdinalIgnoreCase) { ["Handle"] = handle, ["Target"] = target, ["ParameterSet"] = set, ["Record"] = null });
                }
                // Submitted without waiting; results come out in input order as their turn comes.
                if (expectingInput)
                {
                    int max = LanguagePrimitives.ConvertTo<int>(state["Max"]);
                    if ((max > 0 && queue.Count >= max) || Is(state["ErrorAction"], ActionPreference.Stop) ||
                        wait(Handle(queue.Peek()), 0) != 0)
                    {
                        receive.InvokeReturnAsIs(state);
                    }
                    return;
                }
                // A single call reads its one item here, on a short path: wait, read and forget it in one native call.
                // An answer slower than that first wait is left to Complete-MgRsCommand's wait loop, where Ctrl+C gets in.
                if (queue.Count != 1 || LanguagePrimitives.IsTrue(state["WithSteps"])) return;
                Hashtable item = queue.Peek();
                IntPtr pointer = take(Handle(item), 20);
                if (pointer == IntPtr.Zero) return;
                queue.Dequeue();
                item["Handle"] = 0UL;
                string text;
                try { text = Marshal.PtrToStringUTF8(pointer); } finally { stringFree(pointer); }
                if (!WriteSuccess(state, item, text)) writeResult.InvokeReturnAsIs(state, item, text);
                if (Handle(item) != 0) queue.Enqueue(item);
                // Under -Debug, end still writes its closing line.
                else if ((string)state["LogLevel"] != "debug") state["Finished"] = true;
            }
            catch (Exception e) when (Catchable(e))
            {
                cmdlet.ThrowTerminatingError(Record(e));
                throw;
            }
        }

        // A success envelope without log lines, read with System.Text.Json and written: the output object, $true
        // (-PassThru), or a list's page (Write-MgRsPage). $false when the envelope is anything else: the script
        // runtime's Write-MgRsPipelineResult reads it (errors, log lines, -ResponseHeadersVariable).
        public bool WriteSuccess(Hashtable state, Hashtable item, string text)
        {
            // An envelope with the job's log lines starts '{"log":', so it never takes this path.
            if (LanguagePrimitives.IsTrue(state["ResponseHeadersVariable"]) || !text.StartsWith("{\"ok\":true", StringComparison.Ordinal)) return false;
            var cmdlet = (PSCmdlet)state["Cmdlet"];
            try { WriteSuccessValue(state, item, cmdlet, text); }
            catch (Exception e) when (Catchable(e))
            {
                // Called from the script runtime too, which would see any exception wrapped in a method call's.
                cmdlet.ThrowTerminatingError(Record(e));
                throw;
            }
            return true;
        }

        private void WriteSuccessValue(Hashtable state, Hashtable item, PSCmdlet cmdlet, string text)
        {
            using (JsonDocument document = JsonDocument.Parse(text))
            {
                JsonElement value = document.RootElement.GetProperty("value");
                if (value.TryGetProperty("throttled", out JsonElement throttled) && throttled.ValueKind == JsonValueKind.Number)
                {
                    state["Throttled"] = LanguagePrimitives.ConvertTo<int>(state["Throttled"]) + throttled.GetInt32();
                }
                JsonElement output = value.GetProperty("output");
                switch (output.ValueKind)
                {
                    case JsonValueKind.Object:
                        cmdlet.WriteObject(reader.Read(value.GetProperty("model").GetString(), output, true));
                        break;
                    case JsonValueKind.True:
                        cmdlet.WriteObject(true);
                        break;
                    case JsonValueKind.Null:
                        // A list's page; with a next page the item goes back in line.
                        writePage.InvokeReturnAsIs(state, item, value);
                        break;
                }
            }
        }

        // The prepare_send request of an item whose values are all strings, numbers and booleans (docs/protocol.md).
        private static byte[] PrepareSend(Hashtable state, string set, System.Collections.Specialized.OrderedDictionary values)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            try
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteString("op", "prepare_send");
                    json.WriteString("command", (string)state["Name"]);
                    json.WriteString("log", (string)state["LogLevel"]);
                    json.WriteString("parameterSet", set);
                    json.WriteBoolean("headersFromPipeline", false);
                    json.WriteBoolean("inputIsBody", false);
                    json.WriteStartObject("bound");
                    foreach (DictionaryEntry entry in values)
                    {
                        json.WritePropertyName((string)entry.Key);
                        switch (entry.Value)
                        {
                            case null: json.WriteNullValue(); break;
                            case string text: json.WriteStringValue(text); break;
                            case bool flag: json.WriteBooleanValue(flag); break;
                            case int number: json.WriteNumberValue(number); break;
                            case string[] texts:
                                json.WriteStartArray();
                                foreach (string text in texts) { if (text == null) json.WriteNullValue(); else json.WriteStringValue(text); }
                                json.WriteEndArray();
                                break;
                            default: throw new InvalidOperationException("Microsoft.Graph.Rs cannot write a value of type " + entry.Value.GetType().FullName + " here.");
                        }
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                return buffer.WrittenSpan.ToArray();
            }
            finally
            {
                buffer.Clear();   // zeroes what was written: it may hold a secret
            }
        }

        // $PSBoundParameters keeps a pipeline parameter bound by an earlier item (the binder resets only the
        // variable): such a name is left out. The command's own variable holds this item's value.
        private IDictionary<string, object> WithoutStale(IDictionary info, Dictionary<string, object> bound)
        {
            HashSet<string> stale = null;
            foreach (object piped in (IEnumerable)Unwrap(info["Piped"]))
            {
                var name = (string)Unwrap(piped);
                if (bound.TryGetValue(name, out object value) &&
                    !ReferenceEquals(Base(value), Base(module.PSVariable.GetValue(name))))
                {
                    if (stale == null) stale = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    stale.Add(name);
                }
            }
            if (stale == null) return bound;
            var fresh = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object> pair in bound) { if (!stale.Contains(pair.Key)) fresh[pair.Key] = pair.Value; }
            return fresh;
        }

        private object Preference(Dictionary<string, object> bound, string parameter, string variable, PSVariableIntrinsics caller)
        {
            return bound.ContainsKey(parameter) ? module.PSVariable.GetValue(variable) : caller.GetValue(variable);
        }

        private static bool Quiet(object preference)
        {
            return Is(preference, ActionPreference.SilentlyContinue) || Is(preference, ActionPreference.Ignore);
        }

        private static bool Is(object preference, ActionPreference expected)
        {
            return LanguagePrimitives.TryConvertTo(preference, out ActionPreference actual) && actual == expected;
        }

        private static T ConvertOr<T>(object value, T otherwise)
        {
            return LanguagePrimitives.TryConvertTo(value, out T converted) ? converted : otherwise;
        }

        private static ulong Handle(Hashtable item)
        {
            return LanguagePrimitives.ConvertTo<ulong>(item["Handle"]);
        }

        private static object Unwrap(object value)
        {
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        // The object as PowerShell hands it to a .NET method (PSObject.Base): a custom object stays its own PSObject,
        // since every [pscustomobject] wraps the same placeholder. For identity tests.
        private static object Base(object value)
        {
            return value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
        }

        // The error of a script's throw 'text': the message is also the error id.
        private static RuntimeException ScriptError(string message)
        {
            var record = new ErrorRecord(new RuntimeException(message), message, ErrorCategory.OperationStopped, message);
            return new RuntimeException(message, null, record);
        }

        // As a function's catch: Ctrl+C, a terminating error already reported and flow control pass through.
        private static bool Catchable(Exception e)
        {
            return !(e is PipelineStoppedException) && !(e is FlowControlException);
        }

        private static ErrorRecord Record(Exception e)
        {
            if (e is IContainsErrorRecord withRecord && withRecord.ErrorRecord != null) return withRecord.ErrorRecord;
            return new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, null);
        }

        private static ScriptBlock Script(IDictionary scripts, string name)
        {
            if (!(Unwrap(scripts[name]) is ScriptBlock script)) throw new ArgumentException("The command runtime needs the script block '" + name + "'.");
            return script;
        }

        private static T Bind<T>(Type native, string export) where T : Delegate
        {
            return (T)Delegate.CreateDelegate(typeof(T), native.GetMethod(export) ?? throw new MissingMethodException(native.FullName, export));
        }
    }
}
