# The statistics and the alternation that the bench (Invoke-Benchmarks.ps1) and Compare-Builds.ps1 share; dot-sourced.
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object); $n = $sorted.Count
    if ($n % 2) { $sorted[[int](($n - 1) / 2)] } else { ($sorted[[int]($n / 2 - 1)] + $sorted[[int]($n / 2)]) / 2 }
}
function Format-Spread([double[]] $Values, [string] $Format = 'N1') {
    $sorted = @($Values | Sort-Object)
    "{0,8:$Format} {1,8:$Format} {2,8:$Format}" -f $sorted[0], (Get-Median $Values), $sorted[-1]
}
# Per round, then the median: a slow spell that hits one round hits both sides of its ratio.
function Get-PairedRatio([double[]] $Values, [double[]] $Baseline) { Get-Median @(for ($i = 0; $i -lt $Values.Count; $i++) { $Values[$i] / $Baseline[$i] }) }
function Get-PairedDifference([double[]] $Values, [double[]] $Baseline) { Get-Median @(for ($i = 0; $i -lt $Values.Count; $i++) { $Values[$i] - $Baseline[$i] }) }

# Runs $Measure once per contender per round, the order rotated by one each round so that every contender takes
# every position; returns each contender's results in round order (index i of each list is the same round).
function Invoke-Alternated {
    param([string[]] $Contenders, [int] $Rounds, [scriptblock] $Measure)
    $results = [ordered]@{}
    foreach ($name in $Contenders) { $results[$name] = [System.Collections.Generic.List[object]]::new() }
    for ($round = 0; $round -lt $Rounds; $round++) {
        for ($i = 0; $i -lt $Contenders.Count; $i++) {
            $name = $Contenders[($i + $round) % $Contenders.Count]
            $results[$name].Add((& $Measure $name))
        }
    }
    $results
}

# How busy the machine was: on a shared one the same bench differs by a factor, and the paired ratios are what holds.
function Get-Load { (Test-Path '/proc/loadavg') ? ('load average {0} (1, 5, 15 min)' -f (((Get-Content '/proc/loadavg') -split ' ' | Select-Object -First 3) -join ' ')) : 'load average unknown' }
