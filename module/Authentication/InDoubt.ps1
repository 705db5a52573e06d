# Get-MgRsInDoubtRequest: the requests of the most recent stopped run in this runspace that were sent but
# whose answers were never read (Pipeline.ps1, Stop-MgRsPipeline). Their users' PINs may have changed.

$script:MgRsInDoubt = @()

function Get-MgRsInDoubtRequest {
    # .ExternalHelp Microsoft.Graph.Rs-help.xml
    [OutputType('Microsoft.Graph.Rs.InDoubtRequest')]
    [CmdletBinding()]
    param()
    $script:MgRsInDoubt
}
