// Values as the library reads them (docs/protocol.md), where the conversion is the same for every command.
using System;
using System.Globalization;

namespace MicrosoftGraphRs
{
    public static class WireValues
    {
        // A date as UTC text. DateTime kinds are only known here: an Unspecified time is local, as .NET's
        // ToUniversalTime has it.
        public static string DateTime(object value)
        {
            if (value is System.Management.Automation.PSObject wrapped) value = wrapped.BaseObject;
            System.DateTime time = value is DateTimeOffset offset ? offset.UtcDateTime : (System.DateTime)value;
            return time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        }
    }
}
