module example.com/orders

go 1.22

require (
	example.com/money v0.0.0
	github.com/goimg-fixtures/retry v1.2.0
)

replace example.com/money => ./libs/money
