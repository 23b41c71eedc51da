module observatory.local/cluster/tools

go 1.26.8
