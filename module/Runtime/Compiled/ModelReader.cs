// The output objects of every model (src/commands/models.json, as Models.g.ps1 holds it): a copy of the model's
// template, filled from the library's JSON (the model's PowerShell property names, AdditionalProperties, and UserId at
// the top). Compiled rather than a script block per model (issue 12: a script block's invocation cost more than the
// reading itself, on the path of every call).
//
// Type names and default view ride on each object: a format file or type data would rebuild PowerShell's format or
// type tables at import (85-160 ms), and copying a template keeps them for a third of the cost of adding them to each
// new object.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace MicrosoftGraphRs
{
    public sealed class ModelReader
    {
        private sealed class Model
        {
            public string[] Names;
            public string[] Types;
            public PSObject Nested;   // without UserId
            public PSObject Top;
            public bool WithUserId;
        }

        private readonly IDictionary models;
        private readonly Dictionary<string, Model> built = new Dictionary<string, Model>(StringComparer.Ordinal);

        // models: $script:MgRsModels (Models.g.ps1): per model TypeName, InterfaceName, View, WithUserId, Properties
        // and Types (one type per property: string, pin, datetime, boolean, int, strings, bytes or a model's name).
        public ModelReader(IDictionary models)
        {
            this.models = models;
        }

        public PSObject Read(string name, JsonElement element, bool top)
        {
            Model model = Get(name);
            PSObject result = (top ? model.Top : model.Nested).Copy();
            PSMemberInfoCollection<PSPropertyInfo> properties = result.Properties;
            for (int i = 0; i < model.Names.Length; i++)
            {
                JsonElement value = element.GetProperty(model.Names[i]);
                object read = ReadValue(model.Types[i], value);
                if (read != null) properties[model.Names[i]].Value = read;
            }
            var additional = new Hashtable(StringComparer.OrdinalIgnoreCase);
            JsonElement extra = element.GetProperty("AdditionalProperties");
            if (extra.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in extra.EnumerateObject())
                {
                    additional[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()
                        : Json.FromText(property.Value.GetRawText());
                }
            }
            properties["AdditionalProperties"].Value = additional;
            if (top && model.WithUserId) properties["UserId"].Value = element.GetProperty("UserId").GetString();
            return result;
        }

        private object ReadValue(string type, JsonElement value)
        {
            JsonValueKind kind = value.ValueKind;
            switch (type)
            {
                case "string":
                case "pin":
                    return kind == JsonValueKind.String ? value.GetString() : null;
                case "datetime":
                    if (kind != JsonValueKind.String) return null;
                    if (value.TryGetDateTime(out DateTime parsed)) return parsed;
                    // A date the library wrote that System.Text.Json does not take: read as UTC.
                    return DateTime.Parse(value.GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                case "boolean":
                    return kind == JsonValueKind.True ? (object)true : kind == JsonValueKind.False ? (object)false : null;
                case "int":
                    return kind == JsonValueKind.Number ? (object)value.GetInt32() : null;
                case "strings":
                    if (kind != JsonValueKind.Array) return null;
                    var strings = new string[value.GetArrayLength()];
                    int n = 0;
                    // As PowerShell's [string[]]: a null entry becomes ''.
                    foreach (JsonElement entry in value.EnumerateArray()) strings[n++] = entry.GetString() ?? "";
                    return strings;
                case "bytes":
                    return kind == JsonValueKind.String ? value.GetBytesFromBase64() : null;
                default:
                    return kind == JsonValueKind.Object ? Read(type, value, false) : null;
            }
        }

        // The templates are built the first time a model is read, not at import (issue 14: import time), then kept.
        private Model Get(string name)
        {
            if (built.TryGetValue(name, out Model model)) return model;
            var data = (IDictionary)models[name];
            if (data == null) throw new InvalidOperationException("Microsoft.Graph.Rs has no model named '" + name + "'.");
            model = new Model
            {
                Names = Strings(data["Properties"]),
                Types = Strings(data["Types"]),
                WithUserId = LanguagePrimitives.IsTrue(data["WithUserId"]),
            };
            model.Nested = Template(data, model, false);
            model.Top = Template(data, model, true);
            built[name] = model;
            return model;
        }

        private static PSObject Template(IDictionary data, Model model, bool top)
        {
            var template = new PSObject();
            var names = new List<string>(model.Names) { "AdditionalProperties" };
            if (top && model.WithUserId) names.Add("UserId");
            foreach (string name in names) template.Properties.Add(new PSNoteProperty(name, null));
            var view = new List<string>();
            foreach (string column in Strings(data["View"])) { if (names.Contains(column)) view.Add(column); }
            template.TypeNames.Insert(0, (string)data["InterfaceName"]);
            template.TypeNames.Insert(0, (string)data["TypeName"]);
            template.Members.Add(new PSMemberSet("PSStandardMembers", new PSMemberInfo[] {
                new PSPropertySet("DefaultDisplayPropertySet", view) }));
            return template;
        }

        private static string[] Strings(object value)
        {
            var list = new List<string>();
            foreach (object entry in (IEnumerable)PSObject.AsPSObject(value).BaseObject) list.Add((string)PSObject.AsPSObject(entry).BaseObject);
            return list.ToArray();
        }
    }
}
