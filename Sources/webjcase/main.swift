import CaseStore
print("hi")
