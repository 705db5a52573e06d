// JSON as the module's script code needs it (the library's requests and answers, docs/protocol.md), through the same
// reader and writer as ConvertTo-Json and ConvertFrom-Json (Microsoft.PowerShell.Commands.JsonObject): the same
// output, without the cmdlets. Calling a cmdlet of Microsoft.PowerShell.Utility the first time imports that module,
// about 100 ms of a fresh session's first command (issue 14).
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace MicrosoftGraphRs
{
    public static class Json
    {
        // As ConvertTo-Json -Compress -Depth depth -InputObject value.
        public static string ToText(object value, int depth)
        {
            var context = new JsonObject.ConvertToJsonContext(depth, false, true);
            return JsonObject.ConvertToJson(value, in context);
        }

        // As ConvertFrom-Json -AsHashtable -InputObject text.
        public static object FromText(string text)
        {
            object value = JsonObject.ConvertFromJson(text, true, 1024, out ErrorRecord error);
            if (error != null) throw new RuntimeException(error.Exception.Message, error.Exception, error);
            return value;
        }
    }
}
