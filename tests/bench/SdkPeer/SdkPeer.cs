// The official-stack peer: what a user would write instead of this module, as a compiled binary cmdlet over the
// Microsoft Graph .NET SDK. The v1.0 SDK has no request builder for qrCodePinMethod/pin, so the PATCH is a
// RequestInformation sent through the SDK's request adapter: the Graph client factory's full default middleware,
// Kiota's Azure Identity authentication provider and its JSON serialization all run, as for any generated call.
using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Authentication.Azure;

namespace SdkPeer
{
    // Hands out the emulator's token, as Connect-MgGraph -AccessToken does: no sign-in flow is measured.
    internal sealed class StaticTokenCredential : TokenCredential
    {
        private readonly AccessToken _token;
        public StaticTokenCredential(string token) => _token = new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => _token;
        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(_token);
    }

    internal static class Session
    {
        internal static GraphServiceClient? Client;
    }

    [Cmdlet(VerbsCommunications.Connect, "SdkPeer")]
    public sealed class ConnectSdkPeerCommand : PSCmdlet
    {
        [Parameter(Mandatory = true)] public string GraphEndpoint { get; set; } = "";
        [Parameter(Mandatory = true)] public string AccessToken { get; set; } = "";

        protected override void EndProcessing()
        {
            var endpoint = new Uri(GraphEndpoint);
            // The emulator's host must be allowed, or the provider sends no token (it allows Graph's hosts only).
            var auth = new AzureIdentityAuthenticationProvider(new StaticTokenCredential(AccessToken), new[] { endpoint.Host },
                null, true, "https://graph.microsoft.com/.default");
            Session.Client = new GraphServiceClient(auth, GraphEndpoint.TrimEnd('/') + "/v1.0");
        }
    }

    [Cmdlet(VerbsData.Update, "SdkPeerQrPin")]
    [OutputType(typeof(QrPin))]
    public sealed class UpdateSdkPeerQrPinCommand : PSCmdlet
    {
        private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
        {
            { "XXX", ODataError.CreateFromDiscriminatorValue },
        };

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)] public string UserId { get; set; } = "";
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)] public string Code { get; set; } = "";

        protected override void ProcessRecord()
        {
            var client = Session.Client ?? throw new InvalidOperationException("Run Connect-SdkPeer first.");
            var request = new RequestInformation(Method.PATCH, "{+baseurl}/users/{user%2Did}/authentication/qrCodePinMethod/pin",
                new Dictionary<string, object> { { "user%2Did", UserId } });
            request.Headers.TryAdd("Accept", "application/json");
            request.SetContentFromParsable(client.RequestAdapter, "application/json", new QrPin { Code = Code });
            var result = client.RequestAdapter.SendAsync(request, QrPin.CreateFromDiscriminatorValue, ErrorMapping)
                .GetAwaiter().GetResult();
            if (result != null) WriteObject(result);
        }
    }
}
